/**
 * `/leaderboard`: models rated from blind votes (Bradley–Terry on the Elo scale), with the 95%
 * interval and the number of votes behind each rating.
 */
import { listVotes } from "@/lib/db/vote-queries";
import { rateModels } from "@/lib/evaluations/ratings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Leaderboard — Locus Playground" };

export default function LeaderboardPage() {
  const ratings = rateModels(listVotes());
  return (
    <main className="mx-auto w-full max-w-4xl flex-1 overflow-y-auto px-4 py-4">
      <h1 className="mb-1 text-base font-semibold">Leaderboard</h1>
      <p className="mb-3 text-[12px] text-muted">
        From blind votes on the compare page: ratings on the Elo scale (Bradley–Terry), with a 95%
        interval; ties and “both bad” count as draws.
      </p>
      {ratings.length === 0 ? (
        <p className="py-10 text-center text-muted" data-testid="leaderboard-empty">
          No votes yet. Turn on blind mode on the compare page and vote.
        </p>
      ) : (
        <table className="w-full border-collapse text-left" data-testid="leaderboard">
          <thead className="text-[11px] uppercase tracking-wide text-muted">
            <tr>
              <th className="py-1">#</th>
              <th>Model</th>
              <th className="text-right">Rating</th>
              <th className="text-right">95% interval</th>
              <th className="text-right">Votes</th>
            </tr>
          </thead>
          <tbody>
            {ratings.map((rating, index) => (
              <tr
                key={rating.model}
                className="border-t border-line"
                data-testid="leaderboard-row"
                data-model={rating.model}
              >
                <td className="py-1.5">{index + 1}</td>
                <td className="font-medium">{rating.model}</td>
                <td className="text-right tabular-nums">{Math.round(rating.rating)}</td>
                <td className="text-right tabular-nums text-muted">
                  {Math.round(rating.low)}–{Math.round(rating.high)}
                </td>
                <td className="text-right tabular-nums" data-testid="leaderboard-votes">
                  {rating.votes}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
