import { comparePython, publicParams, sortedKeys } from "@/lib/scheduler/core/serialize";
import { pyStr } from "@/lib/scheduler/core/python";
import { isEmpty, type Params, type Task } from "@/lib/scheduler/core/records";
import { DISABLED, RUNNING } from "@/lib/scheduler/core/transitions";
import { ascii, type ByteWriter } from "@/lib/scheduler/http/byte-writer";
import { encodeJson } from "@/lib/scheduler/http/python-json";

// A task's entry of task_list written straight into bytes (see ByteWriter): per task ~25 copies of
// pre-encoded constants and the task's own strings and numbers, no intermediate strings.

/** serializeTask()'s text for task_list, written as bytes: the same text as TaskJson.writeTo (byte-writer.test.ts). */
export function writeTaskBytes(w: ByteWriter, task: Task, sendMessages: boolean): void {
  const params = publicParams(task);
  w.bytes(K.displayName);
  w.body(task.family);
  w.bytes(K.open);
  writeParamsPretty(w, params);
  w.bytes(K.status);
  w.raw(task.status);
  w.bytes(K.workers);
  for (let i = 0; i < task.workers.length; i++) {
    if (i > 0) w.bytes(K.comma);
    w.str(task.workers[i]);
  }
  w.bytes(K.workerRunning);
  if (task.workerRunning === null) w.bytes(K.null);
  else w.str(task.workerRunning);
  w.bytes(K.timeRunning);
  if (task.timeRunning === null) w.bytes(K.null);
  else w.num(task.timeRunning);
  w.bytes(K.startTime);
  w.num(task.time);
  w.bytes(K.lastUpdated);
  w.num(task.updated);
  w.bytes(K.params);
  let first = true;
  for (const key in params) {
    const v = params[key];
    if (v === undefined) continue;
    if (!first) w.bytes(K.comma);
    w.str(key);
    w.bytes(K.colon);
    if (typeof v === "string") w.str(v);
    else w.raw(encodeJson(v));
    first = false;
  }
  w.bytes(K.name);
  w.str(task.family);
  w.bytes(K.priority);
  w.num(task.priority);
  w.bytes(K.resources);
  if (isEmpty(task.resources)) w.bytes(K.emptyObject);
  else w.raw(encodeJson(task.resources));
  if (task.resourcesRunning === null && task.trackingUrl === null && task.statusMessage === null && task.progressPercentage === null) w.bytes(K.nullTail);
  else {
    w.bytes(K.resourcesRunning);
    w.raw(encodeJson(task.resourcesRunning));
    w.bytes(K.trackingUrl);
    w.raw(encodeJson(task.trackingUrl));
    w.bytes(K.statusMessage);
    w.raw(encodeJson(task.statusMessage));
    w.bytes(K.progressPercentage);
    w.raw(encodeJson(task.progressPercentage));
  }
  if (task.status === DISABLED) w.raw(task.schedulerDisableTime !== null ? ', "re_enable_able": true' : ', "re_enable_able": false');
  if (sendMessages && task.status === RUNNING) w.raw(task.acceptsMessages ? ', "accepts_messages": true' : ', "accepts_messages": false');
  w.bytes(K.close);
}

// The constant parts of a task's JSON, in writeTo's order.
const K = {
  displayName: ascii('{"display_name": "'),
  open: ascii("("),
  status: ascii(')", "status": "'),
  workers: ascii('", "workers": ['),
  comma: ascii(", "),
  colon: ascii(": "),
  equals: ascii("="),
  workerRunning: ascii('], "worker_running": '),
  null: ascii("null"),
  timeRunning: ascii(', "time_running": '),
  startTime: ascii(', "start_time": '),
  lastUpdated: ascii(', "last_updated": '),
  params: ascii(', "params": {'),
  name: ascii('}, "name": '),
  priority: ascii(', "priority": '),
  resources: ascii(', "resources": '),
  emptyObject: ascii("{}"),
  resourcesRunning: ascii(', "resources_running": '),
  trackingUrl: ascii(', "tracking_url": '),
  statusMessage: ascii(', "status_message": '),
  progressPercentage: ascii(', "progress_percentage": '),
  nullTail: ascii(', "resources_running": null, "tracking_url": null, "status_message": null, "progress_percentage": null'),
  close: ascii("}"),
};

/** `k1=v1, k2=v2` of prettyId, keys in Python's order, without an array when already sorted (the usual case). */
function writeParamsPretty(w: ByteWriter, params: Params): void {
  let prev: string | null = null;
  for (const key in params) {
    if (prev !== null && comparePython(prev, key) > 0) {
      const keys = sortedKeysMemo(params);
      for (let i = 0; i < keys.length; i++) writeParam(w, i > 0, keys[i], params[keys[i]]);
      return;
    }
    prev = key;
  }
  let first = true;
  for (const key in params) {
    writeParam(w, !first, key, params[key]);
    first = false;
  }
}

// The sorted keys of the last unsorted params seen: tasks of one family come with the same keys
// in the same order, so task_list sorts once per family instead of once per task.
let memoKeys: string[] = [];
let memoSorted: string[] = [];

function sortedKeysMemo(params: Params): string[] {
  let i = 0;
  let same = true;
  for (const key in params) if (i >= memoKeys.length || memoKeys[i++] !== key) same = false;
  if (same && i === memoKeys.length) return memoSorted;
  memoKeys = Object.keys(params);
  memoSorted = sortedKeys(params);
  return memoSorted;
}

function writeParam(w: ByteWriter, comma: boolean, key: string, value: unknown): void {
  if (comma) w.bytes(K.comma);
  w.body(key);
  w.bytes(K.equals);
  w.body(pyStr(value));
}
