/**
 * `/settings/prices`: every model's effective price and its source, the override table (add,
 * edit, remove), and re-pricing of recorded calls. `?model=provider:model` opens the form for
 * that model (the usage page's "set a price" links); `?edit=<id>` edits an override.
 */
import { OverrideForm } from "@/components/prices/override-form";
import { OverrideTable } from "@/components/prices/override-table";
import { PriceList } from "@/components/prices/price-list";
import { RepricePanel } from "@/components/prices/reprice-panel";
import { loadPricesPage } from "@/lib/reports/prices-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Prices — Locus Playground" };

function single(value: string | string[] | undefined): string | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text.slice(0, 300) : null;
}

export default async function PricesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  const view = loadPricesPage({
    edit: single(parameters.edit),
    model: single(parameters.model),
    now: new Date(),
  });
  return (
    <main
      className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-3 overflow-y-auto px-4 py-4"
      data-testid="prices-page"
    >
      <h1 className="text-base font-semibold">Prices</h1>
      {view.formNotice ? (
        <p role="alert" className="text-danger">
          {view.formNotice}
        </p>
      ) : null}
      <OverrideForm
        key={`${view.form.id ?? ""}|${view.form.provider}|${view.form.modelPattern}`}
        initial={view.form}
      />
      <OverrideTable overrides={view.overrides} />
      <RepricePanel at={view.at} usedModels={view.usedModels} />
      <PriceList prices={view.prices} />
    </main>
  );
}
