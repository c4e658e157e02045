/**
 * The budgets of issue #19, checked by the bench itself (never by timed tests in CI): one line per budget, "met" or
 * "NOT met", with the figures it was judged on.
 */
export type BudgetLine = { budget: string; met: boolean; figures: string };

export class Budgets {
  readonly lines: BudgetLine[] = [];

  check(budget: string, met: boolean, figures: string): void {
    const line = { budget, met, figures };
    this.lines.push(line);
    console.log(`  budget ${format(line)}`);
  }

  /** "met" or "NOT met" per budget, as a Markdown list. */
  markdown(): string {
    return this.lines.map((line) => `- ${format(line)}`).join('\n');
  }
}

const format = (line: BudgetLine) => `${line.budget}: **${line.met ? 'met' : 'NOT met'}** (${line.figures})`;

/** Linear within a margin: `ratio` times the work at most `factor * 1.2` times the time (fixed costs only help). */
export const linear = (smallMs: number, bigMs: number, factor: number) => bigMs <= smallMs * factor * 1.2;
