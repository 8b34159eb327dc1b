import { expect, type Locator, type Page } from "@playwright/test";

// Page objects for the dashboard (Airflow-style: specs talk about what an operator sees).

export const DASHBOARD_PATHS = ["/", "/daily", "/hourly", "/services", "/tasks", "/audit"] as const;

export class HomePage {
  constructor(readonly page: Page) {}

  goto() {
    return this.page.goto("/");
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { name: "Fleet" });
  }

  get weeklyGrid(): Locator {
    return this.page.getByRole("grid", { name: /past week/i });
  }

  /** A cell of the weekly grid by its accessible name, e.g. cell("acme-corp", "2026-11-22"). */
  cell(service: string, date: string): Locator {
    return this.weeklyGrid.locator(`[aria-label^="${service}, ${date}:"]`);
  }

  get onlyProblems(): Locator {
    return this.page.getByRole("switch", { name: /only problems/i });
  }

  get servicesCount(): Locator {
    return this.page.getByTestId("services-count");
  }

  get latestMigration(): Locator {
    return this.page.getByTestId("latest-migration");
  }

  /** The focusable element of body row `row`, column `col` (0 is the service name). */
  cellAt(row: number, col: number): Locator {
    // a cell with a run is a link inside the gridcell; one without is the gridcell itself
    const cell = `[aria-rowindex="${row + 2}"] > :nth-child(${col + 1})`;
    return this.weeklyGrid.locator(`${cell} > a, ${cell} > span[tabindex], ${cell}[tabindex]`).first();
  }

  async focusFirstCell() {
    const first = this.cellAt(0, 1);
    await first.focus();
    await expect(first).toBeFocused();
  }

  focusedCell(): Locator {
    return this.weeklyGrid.locator(":focus");
  }
}

export class RunPage {
  constructor(readonly page: Page) {}

  goto(id: number) {
    return this.page.goto(`/runs/${id}`);
  }

  heading(id?: number): Locator {
    return this.page.getByRole("heading", { level: 1, name: id === undefined ? /^Run \d+/ : new RegExp(`^Run ${id}\\b`) });
  }

  get rerunButton(): Locator {
    return this.page.getByRole("button", { name: "Re-run", exact: true });
  }

  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  get log(): Locator {
    return this.page.getByLabel("Run log");
  }

  /** Opens the Re-run dialog, gives a reason, confirms, and returns the link to the new run. */
  async rerun(reason: string, screenshot?: (name: string) => Promise<void>): Promise<Locator> {
    await this.rerunButton.click();
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog).toContainText(/Queue a new daily run of/);
    await this.dialog.getByLabel(/Reason/).fill(reason);
    await screenshot?.("rerun-dialog");
    const confirm = this.dialog.getByRole("button", { name: /^Confirm/ });
    // a double click must not launch twice: the button is disabled while the request is in flight
    await confirm.dblclick();
    const result = this.dialog.getByRole("status");
    await expect(result).toContainText(/Done: run \d+ is/, { timeout: 15_000 });
    await screenshot?.("rerun-result");
    return result.getByRole("link", { name: /^run \d+$/ });
  }
}

export class AuditPage {
  constructor(readonly page: Page) {}

  goto() {
    return this.page.goto("/audit");
  }

  /** The audit row that carries this reason. */
  rowWithReason(reason: string): Locator {
    return this.page.getByRole("row").filter({ hasText: reason });
  }
}
