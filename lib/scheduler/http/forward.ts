import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { FORWARDED_FOR_HEADER, FORWARDED_HEADER, signForwarded, socketAddress } from "@/lib/scheduler/http/access";
import { sendStandby } from "@/lib/scheduler/standby";

// A standby passes what it receives to the active scheduler ([switchyard] advertise_url, which the
// active one writes into its leader row), so a Kubernetes Service may send calls to every
// scheduler pod: a Luigi worker gets the active one's answer whichever pod its connection reached.
// A request is forwarded once at most (FORWARDED_HEADER); the active one checks Host, Origin and
// Basic auth as for any request. The client's address goes along (FORWARDED_FOR_HEADER), signed
// with a key derived from the database URL, which every scheduler process of the database has and
// no client does, over this request and the time: the active one believes a signed address only
// (the RPC audit names both). When the active one cannot be reached (it just died; a standby is
// taking over), the answer is the standby's 503, which Luigi's worker retries.

const agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }) };

/** Whether this request may be forwarded to `target` by a process that advertises `self`. */
export function forwardable(req: IncomingMessage, target: string | null, self: string | null): target is string {
  return target !== null && req.headers[FORWARDED_HEADER] === undefined && sameOrigin(target, self) === false;
}

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): each hop sets its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

export function forward(req: IncomingMessage, res: ServerResponse, target: string, timeoutMs: number, key: Buffer): void {
  const url = new URL(req.url ?? "/", target);
  const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
  const send = url.protocol === "https:" ? https.request : http.request;
  const client = socketAddress(req);
  const headers = { ...endToEnd(req.headers), [FORWARDED_HEADER]: signForwarded(key, client, req.method ?? "GET", req.url ?? "/"), [FORWARDED_FOR_HEADER]: client };
  const upstream = send(url, { method: req.method, headers, agent, timeout: timeoutMs }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  // the client went away before its answer: so does the forwarded request
  res.on("close", () => void (res.writableFinished || upstream.destroy()));
  const fail = () => {
    upstream.destroy();
    if (!res.headersSent) sendStandby(res);
    else res.destroy();
  };
  upstream.on("timeout", fail);
  upstream.on("error", fail);
  req.pipe(upstream);
  req.on("error", () => upstream.destroy());
}

function sameOrigin(a: string, b: string | null): boolean {
  if (b === null) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
