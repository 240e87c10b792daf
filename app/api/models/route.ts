import { responseForError } from "@/lib/http/errors";
import { describeProviders } from "@/lib/runs/providers";

export async function GET(): Promise<Response> {
  try {
    return Response.json(
      { providers: await describeProviders() },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}
