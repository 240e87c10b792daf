/** The body of `POST /api/votes`: which answer of a blind run was better. */
import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { formatZodIssues } from "@/lib/zod-issues";

export const voteRequestSchema = z.strictObject({
  runId: z.string().min(1),
  winner: z.union([z.number().int().min(0), z.literal("tie"), z.literal("both-bad")]),
});

export type VoteRequest = z.infer<typeof voteRequestSchema>;

export function parseVoteRequest(body: unknown): VoteRequest {
  const result = voteRequestSchema.safeParse(body);
  if (!result.success) throw new InvalidInputError({ message: formatZodIssues(result.error) });
  return result.data;
}
