// The TypeScript worker SDK: what a pipeline module imports.
//   import { Task, WrapperTask, param, LocalTarget } from "../../lib/pipeline";
export { Task, WrapperTask, ExternalTask, TaskParameterError, type Requirements, type Outputs, type RunResult } from "./task";
export { param, type Visibility, type ParamOptions, type JsonValue } from "./parameters";
export { DateInterval } from "./date-interval";
export { formatIsoDate, formatDateHour, parseIsoDate, parseDateHour, addDays } from "./dates";
export { LocalTarget, type Target } from "./targets/local-target";
export { DirectoryTarget } from "./targets/directory-target";
export { PostgresMarkerTarget, quoteIdent, sharedPool } from "./targets/postgres-target";
export { taskIdStr } from "./task-id";
export { retcodes } from "./summary";
