// Regenerates static/vendor/suomifi-design-tokens/tokens.css from the npm package:
//   npm pack suomifi-design-tokens@7.0.0 && tar xzf suomifi-design-tokens-7.0.0.tgz
//   node scripts/vendor_tokens.js package/dist/index.js > static/vendor/suomifi-design-tokens/tokens.css
const t = require(require("path").resolve(process.argv[2])).suomifiDesignTokens;
const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const out = ["/* suomifi-design-tokens 7.0.0 (MIT, Population Register Centre) as CSS custom properties. */", ":root {"];
for (const [k, v] of Object.entries(t.colors)) out.push(`  --fi-color-${kebab(k)}: ${v};`);
for (const [k, v] of Object.entries(t.spacing)) out.push(`  --fi-spacing-${kebab(k)}: ${v};`);
for (const [k, v] of Object.entries(t.radiuses || {})) out.push(`  --fi-radius-${kebab(k)}: ${typeof v === "object" ? JSON.stringify(v) : v};`);
for (const [k, v] of Object.entries(t.typography)) {
  if (typeof v !== "object") continue;
  for (const p of ["fontSize", "lineHeight", "fontWeight"]) {
    if (v[p] && typeof v[p] === "object" && v[p].value !== undefined) out.push(`  --fi-text-${kebab(k)}-${kebab(p)}: ${v[p].value}${v[p].unit || ""};`);
    else if (v[p] !== undefined && typeof v[p] !== "object") out.push(`  --fi-text-${kebab(k)}-${kebab(p)}: ${v[p]};`);
  }
}
out.push("}");
console.log(out.join("\n"));
