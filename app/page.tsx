import { Playground } from "@/components/playground";
import { getRunDetail, listRunsPage } from "@/lib/runs/run-queries";
import {
  CONVERSATION_PARAM,
  conversationRunIdOf,
  parseRecordedRun,
  type RecordedRunView,
  setupFromRuns,
} from "@/lib/ui/recorded-run";
import { REPLAY_PARAM, replayCallIdOf } from "@/lib/ui/replay";
import { COMPARISON_PARAM } from "@/lib/ui/run-history";
import { decodeSetup, MAX_COLUMNS } from "@/lib/ui/setup";

/** A comparison's runs in the order they were sent, read as "open in playground" reads one. */
function comparisonRuns(comparisonId: string): RecordedRunView[] {
  const listed = listRunsPage({ comparisonId, limit: MAX_COLUMNS }).runs.toReversed();
  return listed.flatMap((run) => {
    const view = parseRecordedRun(getRunDetail({ runId: run.id }));
    return view ? [view] : [];
  });
}

/**
 * The setup comes from the URL, so the server renders the same columns the link describes.
 * `?comparison=` (from /runs) opens every run of one comparison as columns instead.
 */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const comparisonId = conversationRunIdOf(params[COMPARISON_PARAM]);
  const runs = comparisonId ? comparisonRuns(comparisonId) : [];
  return (
    <Playground
      initialSetup={runs.length > 0 ? setupFromRuns(runs) : decodeSetup(params)}
      conversationRunId={conversationRunIdOf(params[CONVERSATION_PARAM])}
      conversationRunIds={runs.length > 0 ? runs.map((run) => run.id) : null}
      replayCallId={replayCallIdOf(params[REPLAY_PARAM])}
    />
  );
}
