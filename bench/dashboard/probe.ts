// When the weekly grid becomes interactive, measured from inside the page (render.ts, http.ts):
// every frame, focus the first cell and press ArrowDown; the first time the focus lands one row
// down is stored as window.__bench.interactive (ms since navigation start).
// React applies a key press's update in a microtask after the event, so the probe checks for
// the moved focus in a task right after dispatching, and tries again next frame if it has not.
// window.__bench.hydrated: the first frame in which the grid's 150th row exists — the rows past
// the server's first 100 are added once React has hydrated the page.
export const PROBE = `window.__bench={};(function(){function target(r){var row=document.querySelector('[role=grid] [aria-rowindex="'+(r+2)+'"]');var c=row&&row.children[1];return c&&(c.querySelector("a")||c)}function probe(){var a=target(0);if(!a)return requestAnimationFrame(probe);a.focus();a.dispatchEvent(new KeyboardEvent("keydown",{key:"ArrowDown",bubbles:true}));setTimeout(function(){if(document.activeElement===target(1)){window.__bench.interactive=performance.now()}else{requestAnimationFrame(probe)}},0)}function hydrated(){if(document.querySelector('[role=grid] [aria-rowindex="150"]')){window.__bench.hydrated=performance.now()}else{requestAnimationFrame(hydrated)}}document.addEventListener("DOMContentLoaded",function(){window.__bench.dcl=performance.now();requestAnimationFrame(probe);requestAnimationFrame(hydrated)})})();`;


/** For page.waitForFunction: the probe has both its marks. A function, not a string, which the page's CSP would refuse to evaluate. */
export const benchDone = () => {
  const b = (window as unknown as { __bench?: { interactive?: number; hydrated?: number } }).__bench;
  return b?.interactive !== undefined && b.hydrated !== undefined;
};
