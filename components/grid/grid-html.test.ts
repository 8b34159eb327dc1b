import { describe, expect, it } from "vitest";
import { escapeHtml, rowHtml } from "@/components/grid/grid-html";
import { toGridRowModels } from "@/components/grid/grid-rows";
import type { GridColumn, GridRowModel } from "@/components/grid/status-grid-client";

const columns: GridColumn[] = [
  { key: "a", label: "Sun\n22", title: "2026-11-22" },
  { key: "b", label: "Mon\n23", title: "2026-11-23" },
];

describe("grid rows as HTML", () => {
  it("gives every cell its letter, colour attribute and a label naming service, period and status", () => {
    const row: GridRowModel = { key: "1", name: "acme-corp", href: "/services/acme-corp", cells: "FM", hrefs: ["/runs/42", null] };
    const html = rowHtml(row, 3, columns);
    expect(html).toContain('aria-rowindex="5"');
    expect(html).toContain('<a href="/runs/42" tabindex="-1" aria-label="acme-corp, 2026-11-22: failed" data-s="F">F</a>');
    // no run to open: the cell itself takes the focus
    expect(html).toContain('<div role="gridcell" tabindex="-1" aria-label="acme-corp, 2026-11-23: missing" data-s="M">M</div>');
    expect(html).toContain('<a href="/services/acme-corp" tabindex="-1" title="acme-corp">acme-corp</a>');
  });

  it("says under a name that the service is paused, disabled or silenced, in that order", () => {
    const service = { id: 1, name: "a", displayName: "A", labels: [], enabled: true, paused: false };
    const subtitle = (over: object) => toGridRowModels([{ service: { ...service, ...over }, cells: "D", runIds: [null] }])[0].subtitle;
    expect(subtitle({})).toBeUndefined();
    expect(subtitle({ silencedUntil: "2026-11-22T13:00:00.000Z" })).toBe("silenced");
    expect(subtitle({ paused: true, silencedUntil: "2026-11-22T13:00:00.000Z" })).toBe("paused");
    expect(subtitle({ enabled: false })).toBe("disabled");
    const html = rowHtml(toGridRowModels([{ service: { ...service, silencedUntil: "2026-11-22T13:00:00.000Z" }, cells: "D", runIds: [null] }])[0], 0, columns.slice(0, 1));
    expect(html).toContain('<span class="status-grid-sub">silenced</span>');
  });

  it("makes the first row's name the tab stop before scripts run", () => {
    const row: GridRowModel = { key: "1", name: "a", href: "/services/a", cells: "DD", hrefs: [null, null] };
    expect(rowHtml(row, 0, columns)).toContain('<a href="/services/a" tabindex="0" title="a">a</a>');
  });

  it("escapes everything it interpolates", () => {
    const row: GridRowModel = { key: "1", name: '<img src=x onerror="alert(1)">', href: null, cells: "D", hrefs: ['/runs/1" onclick="x'], cellLabels: ["a & b"] };
    const html = rowHtml(row, 0, columns.slice(0, 1));
    expect(html).not.toContain("<img");
    expect(html).not.toContain('" onclick="');
    expect(html).toContain("a &amp; b");
    expect(escapeHtml(`<>&"'`)).toBe("&lt;&gt;&amp;&quot;&#39;");
  });

  it("marks a cell whose period has an open incident, in the label too", () => {
    const row: GridRowModel = { key: "1", name: "acme", href: null, cells: "FD", hrefs: ["/runs/7", null], marks: [0] };
    const html = rowHtml(row, 0, columns);
    expect(html).toContain('<a href="/runs/7" tabindex="-1" aria-label="acme, 2026-11-22: failed, open incident" data-s="F" data-i>F</a>');
    expect(html).toContain('aria-label="acme, 2026-11-23: done" data-s="D">D</div>');
  });
});
