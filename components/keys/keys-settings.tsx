"use client";

import { useCallback, useEffect, useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { readApiError } from "@/lib/ui/api-error";
import {
  type GatewayKeyJson,
  keyRows,
  newKeyBody,
  parseAliasList,
  parseKeyList,
} from "@/lib/ui/gateway-keys";

const INPUT =
  "h-8 rounded-md border border-line bg-raised px-1.5 text-[13px] text-foreground placeholder:text-muted";
const BUTTON = "h-8 rounded-md border border-line bg-raised px-2.5 hover:bg-panel";
const LABEL = "flex flex-col gap-0.5 text-[11px] text-muted";

async function send(url: string, init: RequestInit): Promise<string | null> {
  try {
    const response = await fetch(url, { ...init, cache: "no-store" });
    if (response.ok) return null;
    return (await readApiError(response)).message;
  } catch {
    return "the server could not be reached";
  }
}

/**
 * Gateway keys and model aliases. A new key's secret is held in this component's state only,
 * shown once with a copy button, and gone on the next create or reload: the server keeps a hash.
 */
export function KeysSettings() {
  const [keys, setKeys] = useState<GatewayKeyJson[] | null>(null);
  const [aliases, setAliases] = useState<Array<{ alias: string; model: string }>>([]);
  const [form, setForm] = useState({ name: "", models: "", daily: "", monthly: "" });
  const [aliasForm, setAliasForm] = useState({ alias: "", model: "" });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [keyResponse, aliasResponse] = await Promise.all([
        fetch("/api/keys", { cache: "no-store" }),
        fetch("/api/aliases", { cache: "no-store" }),
      ]);
      const keyList = keyResponse.ok ? parseKeyList(await keyResponse.json()) : null;
      const aliasList = aliasResponse.ok ? parseAliasList(await aliasResponse.json()) : null;
      if (keyList === null || aliasList === null) setError("the keys could not be loaded");
      setKeys(keyList ?? []);
      setAliases(aliasList ?? []);
    } catch {
      setError("the keys could not be loaded");
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const createKey = async () => {
    const result = newKeyBody(form);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    try {
      const response = await fetch("/api/keys", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(result.body),
        cache: "no-store",
      });
      if (!response.ok) {
        setError((await readApiError(response)).message);
        return;
      }
      const answer = (await response.json()) as { key: string; name: string };
      setCreated({ name: answer.name, key: answer.key });
      setForm({ name: "", models: "", daily: "", monthly: "" });
      await reload();
    } catch {
      setError("the server could not be reached");
    }
  };

  const revoke = async (keyId: string, name: string) => {
    if (!window.confirm(`Revoke the key "${name}"? Applications using it stop at once.`)) return;
    setError(await send(`/api/keys/${encodeURIComponent(keyId)}`, { method: "DELETE" }));
    await reload();
  };

  const saveAlias = async () => {
    const message = await send("/api/aliases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ alias: aliasForm.alias.trim(), model: aliasForm.model.trim() }),
    });
    setError(message);
    if (message === null) setAliasForm({ alias: "", model: "" });
    await reload();
  };

  const deleteAlias = async (alias: string) => {
    setError(await send(`/api/aliases/${encodeURIComponent(alias)}`, { method: "DELETE" }));
    await reload();
  };

  const rows = keyRows(keys ?? []);

  return (
    <div className="flex flex-col gap-4">
      {error ? (
        <p role="alert" className="text-danger" data-testid="keys-error">
          {error}
        </p>
      ) : null}
      <section className="rounded-lg border border-line bg-raised p-3" aria-label="New key">
        <h2 className="mb-2 font-medium">New gateway key</h2>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void createKey();
          }}
        >
          <label className={LABEL}>
            Name
            <input
              className={INPUT}
              value={form.name}
              required
              data-testid="key-name"
              placeholder="checkout-service"
              onChange={(event) => setForm({ ...form, name: event.target.value })}
            />
          </label>
          <label className={LABEL}>
            Models (optional, comma-separated)
            <input
              className={`${INPUT} w-72 font-mono`}
              value={form.models}
              data-testid="key-models"
              placeholder="any model"
              onChange={(event) => setForm({ ...form, models: event.target.value })}
            />
          </label>
          <label className={LABEL}>
            Daily budget (USD)
            <input
              className={`${INPUT} w-28`}
              value={form.daily}
              inputMode="decimal"
              data-testid="key-daily"
              placeholder="none"
              onChange={(event) => setForm({ ...form, daily: event.target.value })}
            />
          </label>
          <label className={LABEL}>
            Monthly budget (USD)
            <input
              className={`${INPUT} w-28`}
              value={form.monthly}
              inputMode="decimal"
              data-testid="key-monthly"
              placeholder="none"
              onChange={(event) => setForm({ ...form, monthly: event.target.value })}
            />
          </label>
          <button type="submit" className={BUTTON} data-testid="key-create">
            Create key
          </button>
        </form>
        {created ? (
          <div
            className="mt-3 rounded-md border border-accent p-2"
            data-testid="key-created"
            role="status"
          >
            <p className="mb-1">
              The key <strong>{created.name}</strong>. Copy it now: it is shown once and only its
              hash is kept.
            </p>
            <div className="flex items-center gap-2">
              <code className="break-all font-mono text-[12px]" data-testid="key-secret">
                {created.key}
              </code>
              <CopyButton text={created.key} testId="key-copy" />
              <button
                type="button"
                className="text-[12px] text-muted hover:text-foreground"
                data-testid="key-dismiss"
                onClick={() => setCreated(null)}
              >
                Done
              </button>
            </div>
          </div>
        ) : null}
      </section>

      <section className="rounded-lg border border-line bg-raised p-3" aria-label="Keys">
        <h2 className="mb-2 font-medium">Keys</h2>
        {keys === null ? (
          <p className="text-muted">Loading…</p>
        ) : rows.length === 0 ? (
          <p className="text-muted" data-testid="keys-empty">
            No keys yet. Applications reach <code>/v1</code> with a key made here.
          </p>
        ) : (
          <table className="w-full text-left" data-testid="keys-table">
            <thead className="text-[11px] text-muted">
              <tr>
                <th className="py-1.5 pr-3 font-medium">Name</th>
                <th className="py-1.5 pr-3 font-medium">Key</th>
                <th className="py-1.5 pr-3 font-medium">Models</th>
                <th className="py-1.5 pr-3 font-medium">Daily</th>
                <th className="py-1.5 pr-3 font-medium">Monthly</th>
                <th className="py-1.5 pr-3 font-medium" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={row.keyId}
                  className={`border-t border-line ${row.revoked ? "text-muted line-through" : ""}`}
                  data-testid="key-row"
                  data-key-name={row.name}
                >
                  <td className="py-1.5 pr-3">{row.name}</td>
                  <td className="py-1.5 pr-3 font-mono text-[12px]" data-testid="key-prefix">
                    {row.prefix}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-[12px]">{row.models}</td>
                  <td className="py-1.5 pr-3 tabular-nums">{row.daily}</td>
                  <td className="py-1.5 pr-3 tabular-nums">{row.monthly}</td>
                  <td className="py-1.5 pr-3 text-right">
                    {row.revoked ? (
                      <span data-testid="key-revoked">revoked</span>
                    ) : (
                      <>
                        {row.overBudget ? (
                          <span className="mr-2 text-danger" data-testid="key-over-budget">
                            budget spent
                          </span>
                        ) : null}
                        <button
                          type="button"
                          className="text-danger hover:underline"
                          data-testid="key-revoke"
                          onClick={() => void revoke(row.keyId, row.name)}
                        >
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="rounded-lg border border-line bg-raised p-3" aria-label="Aliases">
        <h2 className="mb-1 font-medium">Model aliases</h2>
        <p className="mb-2 text-muted">
          Clients may send an alias as <code>model</code>, say <code>fast</code> for{" "}
          <code>anthropic:claude-haiku-4-5</code>; repoint it here without touching their code.
        </p>
        <form
          className="mb-2 flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void saveAlias();
          }}
        >
          <label className={LABEL}>
            Alias
            <input
              className={`${INPUT} font-mono`}
              value={aliasForm.alias}
              required
              data-testid="alias-name"
              placeholder="fast"
              onChange={(event) => setAliasForm({ ...aliasForm, alias: event.target.value })}
            />
          </label>
          <label className={LABEL}>
            Model
            <input
              className={`${INPUT} w-72 font-mono`}
              value={aliasForm.model}
              required
              data-testid="alias-model"
              placeholder="anthropic:claude-haiku-4-5"
              onChange={(event) => setAliasForm({ ...aliasForm, model: event.target.value })}
            />
          </label>
          <button type="submit" className={BUTTON} data-testid="alias-save">
            Save alias
          </button>
        </form>
        {aliases.length > 0 ? (
          <ul className="flex flex-col gap-1" data-testid="aliases">
            {aliases.map((entry) => (
              <li
                key={entry.alias}
                className="flex items-center gap-2 font-mono text-[12px]"
                data-testid="alias-row"
              >
                <span>{entry.alias}</span>
                <span className="text-muted">→</span>
                <span>{entry.model}</span>
                <button
                  type="button"
                  className="ml-2 font-sans text-danger hover:underline"
                  data-testid="alias-delete"
                  onClick={() => void deleteAlias(entry.alias)}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
