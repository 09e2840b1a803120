// Builds the portal into dist/: one bundled, minified script, the page, the styles and the map
// outlines (TopoJSON from us-atlas and world-atlas), all served by `lightpath serve`.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
mkdirSync(`${here}dist/maps`, { recursive: true });
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
copyFileSync(`${here}node_modules/us-atlas/states-10m.json`, `${here}dist/maps/us.json`);
copyFileSync(`${here}node_modules/world-atlas/countries-110m.json`, `${here}dist/maps/world.json`);
console.log("portal built in web/dist");
