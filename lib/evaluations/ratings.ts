/**
 * The leaderboard's ratings from blind votes: a Bradley–Terry model, as LMArena uses, on the Elo
 * scale (1000 + 400·log10 of strength), with a 95% interval from a bootstrap over the votes.
 *
 * A vote is over one blind run of two or more models: the winner beats each other model in it;
 * a tie, or "both bad", is half a win each way for every pair (LMArena counts both as ties). Each
 * model also plays one virtual draw against a fixed average player, so a model that has only won
 * (or only lost) gets a finite rating and few votes pull ratings only a little from the mean.
 */

export type VoteWinner = number | "tie" | "both-bad";

export interface Vote {
  /** The models of the run, by call index. */
  models: readonly string[];
  winner: VoteWinner;
}

export interface Rating {
  model: string;
  rating: number;
  low: number;
  high: number;
  votes: number;
}

const BASE = 1000;
const SCALE = 400;
const BOOTSTRAP_ROUNDS = 200;
const ITERATIONS = 200;
const TOLERANCE = 1e-9;

interface Game {
  a: number;
  b: number;
  /** a's score: 1 a won, 0.5 a draw, 0 b won. */
  score: number;
}

function gamesOf(votes: readonly Vote[], indexOf: Map<string, number>): Game[][] {
  return votes.map((vote) => {
    const games: Game[] = [];
    for (let i = 0; i < vote.models.length; i++) {
      for (let j = i + 1; j < vote.models.length; j++) {
        const a = indexOf.get(vote.models[i] ?? "");
        const b = indexOf.get(vote.models[j] ?? "");
        if (a === undefined || b === undefined || a === b) continue;
        const score =
          typeof vote.winner === "number"
            ? vote.winner === i
              ? 1
              : vote.winner === j
                ? 0
                : 0.5
            : 0.5;
        games.push({ a, b, score });
      }
    }
    return games;
  });
}

/** Minorization–maximization (Hunter 2004) for strengths; returns ratings on the Elo scale. */
function fitRatings(games: readonly Game[], count: number): number[] {
  const wins = new Float64Array(count).fill(0.5);
  for (const game of games) {
    wins[game.a] = (wins[game.a] ?? 0) + game.score;
    wins[game.b] = (wins[game.b] ?? 0) + 1 - game.score;
  }
  let strength = new Float64Array(count).fill(1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const denominator = new Float64Array(count);
    for (let model = 0; model < count; model++) {
      // The virtual draw against the average player (strength 1).
      denominator[model] = 1 / ((strength[model] ?? 1) + 1);
    }
    for (const game of games) {
      const share = 1 / ((strength[game.a] ?? 1) + (strength[game.b] ?? 1));
      denominator[game.a] = (denominator[game.a] ?? 0) + share;
      denominator[game.b] = (denominator[game.b] ?? 0) + share;
    }
    const next = new Float64Array(count);
    let change = 0;
    for (let model = 0; model < count; model++) {
      next[model] = (wins[model] ?? 0) / (denominator[model] ?? 1);
      change = Math.max(change, Math.abs(Math.log((next[model] ?? 1) / (strength[model] ?? 1))));
    }
    strength = next;
    if (change < TOLERANCE) break;
  }
  return [...strength].map((value) => BASE + SCALE * Math.log10(value));
}

/** A small seeded generator, so the same votes always give the same intervals. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? low;
  return low + (high - low) * (position - lower);
}

/** Ratings for every model that appears in a vote, best first. */
export function rateModels(votes: readonly Vote[]): Rating[] {
  const models = [...new Set(votes.flatMap((vote) => vote.models))].sort();
  const indexOf = new Map(models.map((model, index) => [model, index]));
  const perVote = gamesOf(votes, indexOf);
  const ratings = fitRatings(perVote.flat(), models.length);

  const random = mulberry32(0x10c05);
  const samples: number[][] = models.map(() => []);
  if (perVote.length > 0) {
    for (let round = 0; round < BOOTSTRAP_ROUNDS; round++) {
      const resampled: Game[] = [];
      for (let draw = 0; draw < perVote.length; draw++) {
        resampled.push(...(perVote[Math.floor(random() * perVote.length)] ?? []));
      }
      const fitted = fitRatings(resampled, models.length);
      fitted.forEach((rating, model) => {
        samples[model]?.push(rating);
      });
    }
  }

  const voteCounts = new Map<string, number>();
  for (const vote of votes) {
    for (const model of new Set(vote.models))
      voteCounts.set(model, (voteCounts.get(model) ?? 0) + 1);
  }

  return models
    .map((model, index) => {
      const sorted = [...(samples[index] ?? [])].sort((left, right) => left - right);
      const rating = ratings[index] ?? BASE;
      return {
        model,
        rating,
        low: sorted.length > 0 ? Math.min(rating, percentile(sorted, 0.025)) : rating,
        high: sorted.length > 0 ? Math.max(rating, percentile(sorted, 0.975)) : rating,
        votes: voteCounts.get(model) ?? 0,
      };
    })
    .sort((left, right) => right.rating - left.rating || left.model.localeCompare(right.model));
}
