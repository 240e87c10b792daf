import { Playground } from "@/components/playground";
import { CONVERSATION_PARAM, conversationRunIdOf } from "@/lib/ui/recorded-run";
import { REPLAY_PARAM, replayCallIdOf } from "@/lib/ui/replay";
import { decodeSetup } from "@/lib/ui/setup";

/** The setup comes from the URL, so the server renders the same columns the link describes. */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  return (
    <Playground
      initialSetup={decodeSetup(params)}
      conversationRunId={conversationRunIdOf(params[CONVERSATION_PARAM])}
      replayCallId={replayCallIdOf(params[REPLAY_PARAM])}
    />
  );
}
