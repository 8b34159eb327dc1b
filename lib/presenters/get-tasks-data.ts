import type pg from "pg";
import type { z } from "zod";
import { searchTasks, type TaskHit } from "@/lib/db/queries/search-tasks";
import { selectTaskFamilies } from "@/lib/db/queries/select-task-families";
import type { tasksInput } from "@/lib/presenters/inputs";

// The Tasks page: search Luigi's history by family, parameter values and status. Without any
// filter it lists the newest task rows; results come a page at a time (keyset on row id).

export const TASKS_PER_PAGE = 50;

export type TasksQuery = z.output<typeof tasksInput>;
export type TasksData = { query: TasksQuery; families: string[]; hits: TaskHit[]; nextBefore: number | null; error: string | null };

export async function getTasksData(pool: pg.Pool, query: TasksQuery): Promise<TasksData> {
  const params = query.param.map((p) => {
    const i = p.indexOf("=");
    return { name: p.slice(0, i).trim(), value: p.slice(i + 1).trim() };
  });
  const [families, result] = await Promise.all([
    selectTaskFamilies(pool),
    searchTasks(pool, { family: query.family, params, status: query.status ?? null, before: query.before ?? null, limit: TASKS_PER_PAGE + 1 }).then(
      (hits) => ({ hits, error: null }),
      (error: Error & { code?: string }) => {
        // 57014: statement timeout. Say so instead of failing the page; narrowing the search helps.
        if (error.code === "57014") return { hits: [] as TaskHit[], error: "The search took too long: add a family or another parameter to narrow it." };
        throw error;
      },
    ),
  ]);
  const hits = result.hits.slice(0, TASKS_PER_PAGE);
  return {
    query,
    families,
    hits,
    nextBefore: result.hits.length > TASKS_PER_PAGE ? hits[hits.length - 1].id : null,
    error: result.error,
  };
}
