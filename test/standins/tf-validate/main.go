// tf-validate reads a Terraform JSON configuration (every *.tf.json in a folder) with HashiCorp's own
// HCL v2 JSON parser, the one Terraform and OpenTofu load such files with, and reports what they would
// refuse before contacting a provider: JSON or expression syntax errors, unknown top-level blocks, a
// reference to a resource, data source, variable, local or provider that is not declared, a provider
// without source or version, a local file named by a resource that is not there.
//
// Neither terraform nor tofu can run here (both download providers), so this is the offline part of
// `validate`; provider schemas (attribute names and types) are not checked.
//
// Usage: tf-validate DIR   -> JSON {"ok": bool, "problems": [...]} on stdout; exit 0, 1 on problems, 2 on misuse.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

type problem struct {
	Where   string `json:"where"`
	Message string `json:"message"`
}

// The top-level blocks of a Terraform configuration file (Terraform's configs package).
var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "required_providers"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "moved"},
	{Type: "import"},
	{Type: "check", LabelNames: []string{"name"}},
	{Type: "removed"},
}}

var terraformSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}, {Name: "experiments"}, {Name: "language"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "backend", LabelNames: []string{"type"}},
		{Type: "cloud"},
		{Type: "required_providers"},
		{Type: "provider_meta", LabelNames: []string{"provider"}},
	},
}

// Attributes naming a file on the machine that runs terraform, per resource type.
var localFileAttributes = map[string]string{"google_storage_bucket_object": "source"}

// Reference roots that are not declarations of this configuration.
var builtinRoots = map[string]bool{"count": true, "each": true, "self": true, "path": true, "terraform": true}

type config struct {
	resources, data, variables, locals, modules, providers map[string]bool
	problems                                                 []problem
	dir                                                      string
}

func (c *config) add(where hcl.Range, format string, args ...any) {
	c.problems = append(c.problems, problem{Where: where.String(), Message: fmt.Sprintf(format, args...)})
}

func (c *config) diags(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := hcl.Range{}
		if d.Subject != nil {
			where = *d.Subject
		}
		c.add(where, "%s: %s", d.Summary, d.Detail)
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tf-validate DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	files, err := filepath.Glob(filepath.Join(dir, "*.tf.json"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "tf-validate: no *.tf.json in %s\n", dir)
		os.Exit(2)
	}
	sort.Strings(files)
	c := &config{dir: dir, resources: map[string]bool{}, data: map[string]bool{}, variables: map[string]bool{},
		locals: map[string]bool{}, modules: map[string]bool{}, providers: map[string]bool{}}
	var bodies []*hcl.BodyContent
	for _, file := range files {
		f, diags := hcljson.ParseFile(file)
		c.diags(diags)
		if f == nil {
			continue
		}
		content, diags := f.Body.Content(fileSchema)
		c.diags(diags)
		bodies = append(bodies, content)
	}
	for _, content := range bodies {
		c.declare(content)
	}
	for _, content := range bodies {
		c.check(content)
	}
	out, _ := json.MarshalIndent(map[string]any{"ok": len(c.problems) == 0, "problems": c.problemsOrEmpty()}, "", "  ")
	fmt.Println(string(out))
	if len(c.problems) > 0 {
		os.Exit(1)
	}
}

func (c *config) problemsOrEmpty() []problem {
	if c.problems == nil {
		return []problem{}
	}
	return c.problems
}

func (c *config) declare(content *hcl.BodyContent) {
	for _, b := range content.Blocks {
		switch b.Type {
		case "resource":
			c.resources[b.Labels[0]+"."+b.Labels[1]] = true
		case "data":
			c.data[b.Labels[0]+"."+b.Labels[1]] = true
		case "variable":
			c.variables[b.Labels[0]] = true
		case "module":
			c.modules[b.Labels[0]] = true
		case "provider":
			c.providers[b.Labels[0]] = true
			attrs, _ := b.Body.JustAttributes()
			if alias, ok := attrs["alias"]; ok {
				if v, diags := alias.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String {
					c.providers[b.Labels[0]+"."+v.AsString()] = true
				}
			}
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			c.diags(diags)
			for name := range attrs {
				c.locals[name] = true
			}
		}
	}
}

func (c *config) check(content *hcl.BodyContent) {
	for _, b := range content.Blocks {
		switch b.Type {
		case "terraform":
			c.checkTerraform(b)
		case "resource", "data":
			c.checkResource(b)
		case "output", "locals", "provider", "module":
			attrs, diags := b.Body.JustAttributes()
			c.diags(diags)
			for name, attr := range attrs {
				if b.Type == "module" && name == "source" {
					continue
				}
				c.references(attr.Expr)
			}
		}
	}
}

func (c *config) checkTerraform(b *hcl.Block) {
	content, diags := b.Body.Content(terraformSchema)
	c.diags(diags)
	for _, inner := range content.Blocks {
		if inner.Type != "required_providers" {
			continue
		}
		attrs, diags := inner.Body.JustAttributes()
		c.diags(diags)
		for name, attr := range attrs {
			v, diags := attr.Expr.Value(nil)
			c.diags(diags)
			if diags.HasErrors() || !v.Type().IsObjectType() {
				c.add(attr.Range, "required provider %q: expected an object with source and version", name)
				continue
			}
			for _, key := range []string{"source", "version"} {
				if !v.Type().HasAttribute(key) || v.GetAttr(key).IsNull() || v.GetAttr(key).AsString() == "" {
					c.add(attr.Range, "required provider %q has no %s", name, key)
				}
			}
		}
	}
}

func (c *config) checkResource(b *hcl.Block) {
	attrs, diags := b.Body.JustAttributes()
	c.diags(diags)
	for name, attr := range attrs {
		switch name {
		case "depends_on":
			c.dependsOn(attr)
		case "provider":
			c.provider(attr)
		case "lifecycle", "provisioner", "connection":
			// Attribute names relative to the resource, and the resource's own scope: not references.
		default:
			c.references(attr.Expr)
		}
	}
	if fileAttr, ok := localFileAttributes[b.Labels[0]]; ok && b.Type == "resource" {
		if attr, ok := attrs[fileAttr]; ok && len(attr.Expr.Variables()) == 0 {
			if v, diags := attr.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String {
				path := v.AsString()
				if !filepath.IsAbs(path) {
					path = filepath.Join(c.dir, path)
				}
				if _, err := os.Stat(path); err != nil {
					c.add(attr.Range, "%s.%s: %s %q does not exist relative to the configuration", b.Labels[0], b.Labels[1], fileAttr, v.AsString())
				}
			}
		}
	}
}

// depends_on holds bare references ("google_x.y"), not templates.
func (c *config) dependsOn(attr *hcl.Attribute) {
	items, diags := hcl.ExprList(attr.Expr)
	c.diags(diags)
	for _, item := range items {
		traversal, diags := hcl.AbsTraversalForExpr(item)
		c.diags(diags)
		if !diags.HasErrors() {
			c.reference(traversal)
		}
	}
}

func (c *config) provider(attr *hcl.Attribute) {
	traversal, diags := hcl.AbsTraversalForExpr(attr.Expr)
	c.diags(diags)
	if diags.HasErrors() {
		return
	}
	parts := []string{traversal.RootName()}
	for _, step := range traversal[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			parts = append(parts, a.Name)
		}
	}
	name := strings.Join(parts, ".")
	if !c.providers[name] && !c.providers[parts[0]] {
		c.add(attr.Range, "provider %q is not configured", name)
	}
}

func (c *config) references(expr hcl.Expression) {
	for _, traversal := range expr.Variables() {
		c.reference(traversal)
	}
}

func (c *config) reference(t hcl.Traversal) {
	root := t.RootName()
	second := func() string {
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	third := func() string {
		if len(t) > 2 {
			if a, ok := t[2].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch {
	case builtinRoots[root]:
	case root == "var":
		if !c.variables[second()] {
			c.add(t.SourceRange(), "reference to undeclared input variable var.%s", second())
		}
	case root == "local":
		if !c.locals[second()] {
			c.add(t.SourceRange(), "reference to undeclared local value local.%s", second())
		}
	case root == "module":
		if !c.modules[second()] {
			c.add(t.SourceRange(), "reference to undeclared module module.%s", second())
		}
	case root == "data":
		if !c.data[second()+"."+third()] {
			c.add(t.SourceRange(), "reference to undeclared data source data.%s.%s", second(), third())
		}
	default:
		if !c.resources[root+"."+second()] {
			c.add(t.SourceRange(), "reference to undeclared resource %s.%s", root, second())
		}
	}
}
