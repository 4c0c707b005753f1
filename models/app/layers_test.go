package app_test

import (
	"encoding/json"
	"fmt"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

const module = "github.com/sellercenter/sellercenter"

// pkgImports is one package's direct imports: what it builds with, and what
// only its tests add.
type pkgImports struct {
	Path    string
	Imports []string
	Tests   []string // TestImports and XTestImports
}

// layerViolations applies the dependency rule (README, "Architecture"):
//   - web/koogallery is a leaf: the standard library only;
//   - only web/... imports echo; only models/... imports GORM;
//   - models/... imports no web/..., views/... or cmd/... package except the
//     protocol leaf (its tests may also run the sandbox seller endpoint);
//   - views/... imports neither web/..., cmd/..., echo nor GORM.
func layerViolations(pkgs []pkgImports) []string {
	var out []string
	bad := func(p, imp, why string) { out = append(out, fmt.Sprintf("%s imports %s: %s", p, imp, why)) }
	under := func(p, area string) bool {
		return p == module+"/"+area || strings.HasPrefix(p, module+"/"+area+"/")
	}
	for _, p := range pkgs {
		check := func(imp string, test bool) {
			isEcho := strings.HasPrefix(imp, "github.com/labstack/echo")
			isGorm := strings.HasPrefix(imp, "gorm.io/")
			switch {
			case p.Path == module+"/web/koogallery" && strings.Contains(strings.Split(imp, "/")[0], "."):
				bad(p.Path, imp, "the protocol package is a leaf: standard library only")
			case isEcho && !under(p.Path, "web"):
				bad(p.Path, imp, "only web imports echo")
			case isGorm && !under(p.Path, "models"):
				bad(p.Path, imp, "only models imports GORM")
			case under(p.Path, "models") && (under(imp, "views") || under(imp, "cmd")):
				bad(p.Path, imp, "models depends on nothing above it")
			case under(p.Path, "models") && under(imp, "web") && imp != module+"/web/koogallery" &&
				!(test && imp == module+"/web/koogallery/sandbox"):
				bad(p.Path, imp, "models may use only the protocol leaf of web")
			case under(p.Path, "views") && (under(imp, "web") || under(imp, "cmd")):
				bad(p.Path, imp, "views render models' types; they know no server")
			}
		}
		for _, imp := range p.Imports {
			check(imp, false)
		}
		for _, imp := range p.Tests {
			check(imp, true)
		}
	}
	return out
}

func goList(t *testing.T) []pkgImports {
	t.Helper()
	touchSources(t)
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,TestImports,XTestImports", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkgImports
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, pkgImports{Path: p.ImportPath, Imports: p.Imports, Tests: append(p.TestImports, p.XTestImports...)})
	}
	return pkgs
}

func TestDependencyRuleHolds(t *testing.T) {
	pkgs := goList(t)
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	for _, v := range layerViolations(pkgs) {
		t.Error(v)
	}
}

// The rule is not vacuous: an echo import under models, a GORM import under
// web, a driver in the protocol leaf and a view importing the server are each
// reported; the allowed edges are not.
func TestDependencyRuleCatchesViolations(t *testing.T) {
	got := layerViolations([]pkgImports{
		{Path: module + "/models/orders", Imports: []string{"github.com/labstack/echo/v4", module + "/web/koogallery"}},
		{Path: module + "/web", Imports: []string{"gorm.io/gorm", module + "/models/orders"}},
		{Path: module + "/web/koogallery", Imports: []string{"crypto/aes", "github.com/mattn/go-sqlite3"}},
		{Path: module + "/views/orders", Imports: []string{module + "/web", module + "/models/orders"}},
		{Path: module + "/models/demo", Imports: []string{module + "/web/koogallery/sandbox"}},
		{Path: module + "/models/debugger", Tests: []string{module + "/web/koogallery/sandbox"}},
	})
	want := []string{
		module + "/models/orders imports github.com/labstack/echo/v4",
		module + "/web imports gorm.io/gorm",
		module + "/web/koogallery imports github.com/mattn/go-sqlite3",
		module + "/views/orders imports " + module + "/web",
		module + "/models/demo imports " + module + "/web/koogallery/sandbox",
	}
	if len(got) != len(want) {
		t.Fatalf("violations:\n%s", strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w+":") {
			t.Errorf("violation %d = %q, want %q", i, got[i], w)
		}
	}
}

// Views import models' types and read models but never call a service: no
// view mentions a type that holds the database, nor a method of one.
func TestViewsCallNoService(t *testing.T) {
	touchSources(t)
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedSyntax, Tests: false}
	pkgs, err := packages.Load(cfg, module+"/views/...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 5 {
		t.Fatalf("loaded %d view packages", len(pkgs))
	}
	var found []string
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("%s: %v", p.PkgPath, e)
		}
		for id, obj := range p.TypesInfo.Uses {
			if obj.Pkg() == nil || !strings.HasPrefix(obj.Pkg().Path(), module+"/models/") {
				continue
			}
			if holdsDB(obj) {
				found = append(found, fmt.Sprintf("%s: %s.%s", p.Fset.Position(id.Pos()), obj.Pkg().Name(), obj.Name()))
			}
		}
	}
	slices.Sort(found)
	for _, f := range found {
		t.Errorf("a view uses a service: %s", f)
	}
}

// holdsDB tells whether obj is a type holding a *gorm.DB, or a function or
// method of one.
func holdsDB(obj types.Object) bool {
	var typ types.Type
	switch o := obj.(type) {
	case *types.TypeName:
		typ = o.Type()
	case *types.Func:
		sig := o.Type().(*types.Signature)
		if sig.Recv() != nil {
			typ = sig.Recv().Type()
		} else if sig.Results().Len() > 0 {
			typ = sig.Results().At(0).Type()
		}
	default:
		return false
	}
	if ptr, ok := typ.(*types.Pointer); ok {
		typ = ptr.Elem()
	}
	st, ok := typ.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if st.Field(i).Type().String() == "*gorm.io/gorm.DB" {
			return true
		}
	}
	return false
}

// touchSources opens every directory and Go file of the module: go test
// caches a result by the files a test opened, and the go list these tests
// run in a subprocess would otherwise leave a new import unseen by the cache.
func touchSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
