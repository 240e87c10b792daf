"use client";

import { memo, useState } from "react";
import { modelOptionLabel, type ProviderInfo, providerGroupLabel } from "@/lib/ui/providers";

const CUSTOM = "__custom__";

/**
 * A native select grouped by provider: keyboard accessible by default and dense. Each group
 * says whether its provider is configured; "Other model…" takes any `provider:model` string
 * (a model the list does not know yet, an Ollama tag not pulled at listing time).
 */
function ModelPickerView({
  model,
  providers,
  onChange,
  onOpen,
  label,
}: {
  model: string;
  providers: ProviderInfo[] | null;
  onChange: (model: string) => void;
  /** The list is refreshed when opened, so Ollama's installed models show up live. */
  onOpen: () => void;
  label: string;
}) {
  const [custom, setCustom] = useState<string | null>(null);
  const known = providers?.some((provider) => provider.models.includes(model)) ?? false;

  if (custom !== null) {
    const commit = () => {
      const value = custom.trim();
      if (/^[a-z][a-z0-9-]*:\S/.test(value)) onChange(value);
      setCustom(null);
    };
    return (
      <input
        // biome-ignore lint/a11y/noAutofocus: the person just asked to type a model name.
        autoFocus
        data-testid="model-custom-input"
        aria-label={`${label}: model string, provider:model`}
        placeholder="provider:model"
        value={custom}
        onChange={(event) => setCustom(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
          if (event.key === "Escape") {
            event.stopPropagation();
            setCustom(null);
          }
        }}
        className="h-7 min-w-0 flex-1 rounded border border-line bg-raised px-1.5 font-mono text-[12px]"
      />
    );
  }

  return (
    <select
      data-testid="model-select"
      aria-label={label}
      value={model}
      onFocus={onOpen}
      onChange={(event) => {
        if (event.target.value === CUSTOM) setCustom(model);
        else onChange(event.target.value);
      }}
      className="h-7 min-w-0 flex-1 truncate rounded border border-line bg-raised px-1 font-mono text-[12px]"
    >
      {!known ? (
        <optgroup label={providers ? "Not in the list" : "Loading models…"}>
          <option value={model}>{modelOptionLabel(model)}</option>
        </optgroup>
      ) : null}
      {(providers ?? []).map((provider) => (
        <optgroup key={provider.id} label={providerGroupLabel(provider)}>
          {provider.models.map((candidate) => (
            <option key={candidate} value={candidate}>
              {modelOptionLabel(candidate)}
            </option>
          ))}
          {provider.models.length === 0 ? (
            <option disabled value={`${provider.id}:`}>
              {provider.modelsError ?? "no models listed"}
            </option>
          ) : null}
        </optgroup>
      ))}
      <option value={CUSTOM}>Other model…</option>
    </select>
  );
}

/**
 * Memoised: a column re-renders on every batch of streamed text, and re-rendering sixteen
 * selects of every listed model each time is work for nothing.
 */
export const ModelPicker = memo(ModelPickerView);
