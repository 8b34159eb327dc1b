// Shared table classes: tables scroll sideways inside their frame on narrow screens.
// relative: screen-reader-only text (absolutely positioned) must scroll and clip with the table,
// or a wide table pushes the whole page sideways on a phone
export const TABLE_FRAME = "relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800";
export const TABLE = "min-w-full text-sm";
export const THEAD = "bg-zinc-50 text-left text-xs text-zinc-500 dark:bg-zinc-900";
export const TH = "px-3 py-2 font-medium whitespace-nowrap";
export const TD = "px-3 py-2";
export const TBODY = "divide-y divide-zinc-100 dark:divide-zinc-800";
// Luigi parameters and task ids are long: a minimum width keeps them readable on a phone (the
// table scrolls instead of squeezing them), parameters wrap at their spaces, ids anywhere.
export const PARAMS_TD = `${TD} max-w-96 min-w-56 font-mono text-xs [overflow-wrap:anywhere]`;
export const TASK_ID_TD = `${TD} min-w-48 font-mono text-[11px] break-all text-zinc-500`;

// Below `sm` a table whose rows are records (the audit log, incidents) shows each row as a block
// of labelled lines instead of a row scrolled sideways with every cell squeezed tall: the same
// markup (rows and headers stay for screen readers), each cell labelled by its data-label.
export const STACKED_TABLE = "max-sm:block max-sm:[&>tbody]:block";
export const STACKED_HEAD = "max-sm:sr-only";
export const STACKED_ROW = "max-sm:block max-sm:py-2";
/** A cell's classes, stacked on a phone beside its data-label, in a label column of `labelWidth` (a max-sm:before:w-* class). */
export const stacked = (cell: string, labelWidth = "max-sm:before:w-16") =>
  `${cell} max-sm:flex max-sm:items-baseline max-sm:min-w-0 max-sm:max-w-none max-sm:py-0.5 ${labelWidth} max-sm:before:shrink-0 max-sm:before:text-[11px] max-sm:before:leading-5 max-sm:before:text-zinc-500 max-sm:before:content-[attr(data-label)]`;
