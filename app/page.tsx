import { Playground } from "@/components/playground";
import { decodeSetup } from "@/lib/ui/setup";

/** The setup comes from the URL, so the server renders the same columns the link describes. */
export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const setup = decodeSetup(await searchParams);
  return <Playground initialSetup={setup} />;
}
