"use client";

/**
 * Saves a prompt: a new one (name + first version) or the next version of an existing one.
 * The template's variables are listed as they are typed.
 */
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { templateVariables } from "@/lib/prompts/template";
import { readApiError } from "@/lib/ui/api-error";

export function PromptEditor(props: {
  promptId?: string;
  initial?: { system: string; template: string };
}) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [system, setSystem] = useState(props.initial?.system ?? "");
  const [template, setTemplate] = useState(props.initial?.template ?? "");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const variables = useMemo(() => templateVariables(template), [template]);

  async function save() {
    setSaving(true);
    setError(null);
    const body = { ...(props.promptId ? {} : { name }), template, ...(system ? { system } : {}) };
    const url = props.promptId ? `/api/prompts/${props.promptId}/versions` : "/api/prompts";
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        setError((await readApiError(response)).message);
        return;
      }
      const saved = (await response.json()) as { promptId: string };
      if (props.promptId) router.refresh();
      else router.push(`/prompts/${saved.promptId}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-3"
      data-testid="prompt-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {props.promptId ? null : (
        <label className="flex flex-col gap-1 text-[12px] text-muted">
          Name
          <input
            data-testid="prompt-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            className="h-8 rounded-md border border-line bg-raised px-2 text-foreground"
          />
        </label>
      )}
      <label className="flex flex-col gap-1 text-[12px] text-muted">
        System prompt
        <textarea
          data-testid="prompt-system"
          value={system}
          onChange={(event) => setSystem(event.target.value)}
          rows={2}
          className="rounded-md border border-line bg-raised p-2 text-foreground"
        />
      </label>
      <label className="flex flex-col gap-1 text-[12px] text-muted">
        Template — use {"{{name}}"} for variables
        <textarea
          data-testid="prompt-template"
          value={template}
          onChange={(event) => setTemplate(event.target.value)}
          rows={5}
          required
          className="rounded-md border border-line bg-raised p-2 font-mono text-[12px] text-foreground"
        />
      </label>
      <p className="text-[12px] text-muted" data-testid="prompt-variables">
        Variables: {variables.length > 0 ? variables.join(", ") : "none"}
      </p>
      {error ? (
        <p role="alert" className="text-[12px] text-danger" data-testid="prompt-error">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={saving}
        data-testid="prompt-save"
        className="self-start rounded-md bg-accent px-3 py-1 text-accent-foreground disabled:opacity-60"
      >
        {props.promptId ? "Save as new version" : "Save prompt"}
      </button>
    </form>
  );
}
