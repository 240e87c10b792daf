/**
 * `/prompts/[promptId]`: every version of a prompt, a word diff between any two of them
 * (`?from=&to=`), each openable in the playground, and the form that saves the next version.
 */
import Link from "next/link";
import { notFound } from "next/navigation";
import DiffView from "@/components/diff-view";
import { LocalTime } from "@/components/local-time";
import { PromptEditor } from "@/components/prompts/prompt-editor";
import { getPromptById, type PromptVersionView } from "@/lib/db/prompt-queries";
import { playgroundLinkForVersion } from "@/lib/ui/prompt-link";

export const dynamic = "force-dynamic";
export const metadata = { title: "Prompt — Locus Playground" };

function versionText(version: PromptVersionView): string {
  return `${version.system ? `System: ${version.system}\n\n` : ""}${version.template}`;
}

function pick(
  versions: PromptVersionView[],
  value: string | string[] | undefined,
  fallback: number,
) {
  const number = Number(Array.isArray(value) ? value[0] : value);
  return versions.find((version) => version.version === number) ?? versions[fallback];
}

function VersionSelect(props: {
  name: string;
  label: string;
  versions: PromptVersionView[];
  selected: number;
}) {
  return (
    <select
      name={props.name}
      defaultValue={props.selected}
      aria-label={props.label}
      className="rounded border border-line bg-raised px-1"
    >
      {props.versions.map((version) => (
        <option key={version.version} value={version.version}>
          v{version.version}
        </option>
      ))}
    </select>
  );
}

export default async function PromptPage({
  params,
  searchParams,
}: {
  params: Promise<{ promptId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { promptId } = await params;
  const query = await searchParams;
  const prompt = getPromptById({ promptId });
  if (!prompt) notFound();
  const versions = prompt.versions;
  const latest = versions.at(-1);
  const from = pick(versions, query.from, Math.max(0, versions.length - 2));
  const to = pick(versions, query.to, versions.length - 1);

  return (
    <main className="mx-auto w-full max-w-5xl flex-1 overflow-y-auto px-4 py-4">
      <p className="mb-1 text-[12px] text-muted">
        <Link href="/prompts" className="hover:underline">
          Prompts
        </Link>
      </p>
      <h1 className="mb-3 text-base font-semibold" data-testid="prompt-title">
        {prompt.name}
      </h1>
      <ol
        className="mb-4 divide-y divide-line rounded-lg border border-line"
        data-testid="prompt-versions"
      >
        {[...versions].reverse().map((version) => (
          <li
            key={version.version}
            className="flex flex-col gap-1 px-3 py-2"
            data-testid="prompt-version"
          >
            <div className="flex items-center gap-3">
              <span className="font-medium">v{version.version}</span>
              <span className="text-[12px] text-muted">
                <LocalTime iso={version.createdAt} />
              </span>
              <span className="text-[12px] text-muted">
                variables: {version.variables.length > 0 ? version.variables.join(", ") : "none"}
              </span>
              <Link
                href={playgroundLinkForVersion(version)}
                className="ml-auto text-[12px] text-accent hover:underline"
                data-testid="open-version"
              >
                Open in playground
              </Link>
            </div>
            <pre className="max-h-32 overflow-auto whitespace-pre-wrap rounded bg-code p-2 font-mono text-[12px]">
              {versionText(version)}
            </pre>
          </li>
        ))}
      </ol>
      {from && to && versions.length > 1 ? (
        <section className="mb-4" data-testid="prompt-diff">
          <form method="get" className="mb-2 flex items-center gap-2 text-[12px]">
            <span className="font-semibold">Compare</span>
            <VersionSelect
              name="from"
              label="From version"
              versions={versions}
              selected={from.version}
            />
            <span>with</span>
            <VersionSelect name="to" label="To version" versions={versions} selected={to.version} />
            <button type="submit" className="rounded border border-line bg-raised px-2">
              Show diff
            </button>
          </form>
          <div className="rounded-lg border border-line p-3">
            <DiffView baseline={versionText(from)} other={versionText(to)} />
          </div>
        </section>
      ) : null}
      <h2 className="mb-2 text-sm font-semibold">Save a new version</h2>
      <PromptEditor
        promptId={prompt.promptId}
        initial={{ system: latest?.system ?? "", template: latest?.template ?? "" }}
      />
    </main>
  );
}
