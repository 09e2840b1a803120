// Builds the portal into dist/: one bundled, minified script, the page, the styles (uPlot's too) and the map
// outlines (TopoJSON from us-atlas and world-atlas), and the API reference at /docs (Redoc's
// standalone bundle rendering /v1/openapi.json), all served by `lightpath serve`.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
mkdirSync(`${here}dist/maps`, { recursive: true });
mkdirSync(`${here}dist/docs`, { recursive: true });
await build({
  entryPoints: [`${here}src/main.js`],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  outfile: `${here}dist/app.js`,
  logLevel: "warning",
});
copyFileSync(`${here}src/index.html`, `${here}dist/index.html`);
copyFileSync(`${here}src/style.css`, `${here}dist/style.css`);
copyFileSync(`${here}node_modules/uplot/dist/uPlot.min.css`, `${here}dist/uplot.css`);
copyFileSync(`${here}node_modules/us-atlas/states-10m.json`, `${here}dist/maps/us.json`);
copyFileSync(`${here}node_modules/world-atlas/countries-110m.json`, `${here}dist/maps/world.json`);
copyFileSync(`${here}src/docs.html`, `${here}dist/docs/index.html`);
// The bundle's one address outside the machine (its badge's logo on the vendor's CDN) becomes an
// empty image: the reference works offline and asks no one for anything.
const redoc = readFileSync(`${here}node_modules/redoc/bundles/redoc.standalone.js`, "utf8");
const logo = "https://cdn.redoc.ly/redoc/logo-mini.svg";
if (!redoc.includes(logo)) throw new Error(`redoc: ${logo} not found; check the bundle for outside addresses`);
writeFileSync(`${here}dist/docs/redoc.standalone.js`,
              redoc.replaceAll(logo, "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"));
console.log("portal built in web/dist");
