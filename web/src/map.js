// The network map: an offline outline (us-atlas for North American networks, world-atlas
// otherwise), sites by kind, fibers between their sites coloured by spectrum utilization when
// the viewer may see it, routes drawn over them. Zoom and pan with the wheel and drag.
import { geoAlbersUsa, geoNaturalEarth1, geoPath } from "d3-geo";
import { select } from "d3-selection";
import { zoom, zoomIdentity } from "d3-zoom";
import { feature } from "topojson-client";

import { utilizationColour } from "./colours.js";
import { escapeHtml } from "./html.js";

const WIDTH = 960;
const HEIGHT = 600;

export class NetworkMap {
  constructor(svgElement, tooltipElement, { onSite, onFiber }) {
    this.svg = select(svgElement).attr("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
    this.tooltip = tooltipElement;
    this.onSite = onSite;
    this.onFiber = onFiber;
    this.root = this.svg.append("g").attr("class", "zoomable");
    this.landLayer = this.root.append("g");
    this.fiberLayer = this.root.append("g");
    this.routeLayer = this.root.append("g");
    this.siteLayer = this.root.append("g");
    this.zoom = zoom()
      .scaleExtent([1, 12])
      .on("zoom", (event) => {
        this.root.attr("transform", event.transform);
        this.root.selectAll(".site").attr("r", 4.5 / Math.sqrt(event.transform.k));
      });
    this.svg.call(this.zoom);
  }

  resetZoom() {
    this.svg.call(this.zoom.transform, zoomIdentity);
  }

  // topology: GET /v1/topology; atlases: {us, world} TopoJSON.
  draw(topology, atlases) {
    this.topology = topology;
    const siteById = new Map(topology.sites.map((s) => [s.id, s]));
    const siteOfNode = new Map(topology.nodes.map((n) => [n.id, siteById.get(n.site)]));
    this.siteOfNode = siteOfNode;
    const located = topology.sites.filter((s) => s.lat !== undefined);
    const inUs = located.every((s) => s.lat > 15 && s.lat < 72 && s.lon > -170 && s.lon < -50);
    let projection;
    let land;
    if (inUs && atlases.us) {
      projection = geoAlbersUsa().fitExtent([[10, 10], [WIDTH - 10, HEIGHT - 10]], feature(atlases.us, atlases.us.objects.nation));
      land = feature(atlases.us, atlases.us.objects.states).features;
    } else {
      const points = { type: "MultiPoint", coordinates: located.map((s) => [s.lon, s.lat]) };
      projection = geoNaturalEarth1().fitExtent([[40, 40], [WIDTH - 40, HEIGHT - 40]], points);
      land = feature(atlases.world, atlases.world.objects.countries).features;
    }
    this.projection = projection;
    const path = geoPath(projection);
    this.landLayer.selectAll("path").data(land).join("path").attr("class", "land").attr("d", path);
    const at = (site) => (site && site.lat !== undefined ? projection([site.lon, site.lat]) : null);
    this.at = at;

    const fibers = topology.fibers
      .map((f) => ({ f, a: at(siteOfNode.get(f.a)), b: at(siteOfNode.get(f.b)) }))
      .filter((d) => d.a && d.b);
    this.fiberLayer
      .selectAll("line")
      .data(fibers, (d) => d.f.id)
      .join("line")
      .attr("class", (d) => (d.f.down ? "fiber cut" : "fiber"))
      .attr("data-fiber", (d) => d.f.id)
      .attr("x1", (d) => d.a[0]).attr("y1", (d) => d.a[1])
      .attr("x2", (d) => d.b[0]).attr("y2", (d) => d.b[1])
      .style("stroke", (d) => (d.f.down ? null : utilizationColour(d.f.spectrum_utilization)))
      .style("stroke-width", (d) => (d.f.spectrum_utilization ? 1.6 + 4 * Math.min(1, d.f.spectrum_utilization) : null))
      .on("mouseenter", (event, d) => this.tip(event, fiberText(d.f)))
      .on("mouseleave", () => this.untip())
      .on("click", (event, d) => this.onFiber && this.onFiber(d.f));

    const sites = located.map((s) => ({ s, p: at(s) })).filter((d) => d.p);
    this.siteLayer
      .selectAll("circle")
      .data(sites, (d) => d.s.id)
      .join("circle")
      .attr("class", (d) => `site ${d.s.kind}`)
      .attr("data-site", (d) => d.s.id)
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", (d) => `${d.s.name} (${d.s.kind.replace("_", " ")})`)
      .attr("cx", (d) => d.p[0])
      .attr("cy", (d) => d.p[1])
      .attr("r", 4.5)
      .on("mouseenter", (event, d) => this.tip(event, siteText(d.s)))
      .on("mouseleave", () => this.untip())
      .on("click", (event, d) => this.onSite && this.onSite(d.s))
      .on("keydown", (event, d) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          this.onSite && this.onSite(d.s);
        }
      });
    return { sites: sites.length, fibers: fibers.length };
  }

  // Draws a route (node ids, A to Z) with a class: "route", "route protection", "route quote"...
  drawRoutes(routes) {
    const lines = routes
      .filter((r) => r.nodes && r.nodes.length > 1)
      .map((r) => ({ cls: r.cls, points: r.nodes.map((n) => this.at(this.siteOfNode.get(n))).filter(Boolean) }));
    this.routeLayer
      .selectAll("polyline")
      .data(lines)
      .join("polyline")
      .attr("class", (d) => d.cls)
      .attr("points", (d) => d.points.map((p) => p.join(",")).join(" "));
  }

  clearRoutes() {
    this.routeLayer.selectAll("polyline").remove();
  }

  // Fibers cut now (after a failure or its repair): dashed, in the cut colour.
  markCut(downIds) {
    this.fiberLayer.selectAll("line").each((d) => (d.f.down = downIds.has(d.f.id)));
    this.fiberLayer
      .selectAll("line")
      .attr("class", (d) => (d.f.down ? "fiber cut" : "fiber"))
      .style("stroke", (d) => (d.f.down ? null : utilizationColour(d.f.spectrum_utilization)));
  }

  select(fiberId) {
    this.fiberLayer.selectAll("line").classed("selected", (d) => d.f.id === fiberId);
  }

  tip(event, html) {
    const box = this.tooltip.parentElement.getBoundingClientRect();
    this.tooltip.innerHTML = html;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${event.clientX - box.left + 12}px`;
    this.tooltip.style.top = `${event.clientY - box.top + 12}px`;
  }

  untip() {
    this.tooltip.hidden = true;
  }
}

function siteText(s) {
  return `<strong>${escapeHtml(s.name)}</strong><br>${escapeHtml(s.kind.replace("_", " "))}${s.metro ? ` · ${escapeHtml(s.metro)}` : ""}` +
    (s.provider ? `<br>${escapeHtml(s.provider)} ${escapeHtml(s.region || "")}` : "");
}

export function fiberText(f) {
  const used = f.spectrum_utilization !== undefined ? `<br>spectrum in use ${(f.spectrum_utilization * 100).toFixed(1)}%` : "";
  return `<strong>${escapeHtml(f.id)}</strong><br>${f.km.toFixed(0)} km · ${f.latency_ms.toFixed(2)} ms` +
    (f.srlgs.length ? `<br>SRLGs: ${f.srlgs.map(escapeHtml).join(", ")}` : "") + used +
    (f.down ? "<br><strong>cut</strong>: down until repaired" : "");
}
