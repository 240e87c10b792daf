/**
 * Highlights code off the main thread: loading shiki and compiling a grammar takes long enough
 * to freeze a page that is rendering sixteen streams. Answers `{ id, lines }`, or `{ id, lines:
 * null }` for a language shiki does not know.
 */
import { bundledLanguages, codeToTokens } from "shiki";

export interface HighlightRequest {
  id: number;
  code: string;
  language: string;
}

export interface HighlightResponse {
  id: number;
  lines: { content: string; offset: number; style: Record<string, string> }[][] | null;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HighlightRequest>) => void) | null;
  postMessage: (message: HighlightResponse) => void;
};

scope.onmessage = async (event) => {
  const { id, code, language } = event.data;
  const lang = language.toLowerCase();
  if (!(lang in bundledLanguages)) {
    scope.postMessage({ id, lines: null });
    return;
  }
  try {
    const result = await codeToTokens(code, {
      lang: lang as keyof typeof bundledLanguages,
      themes: { light: "github-light", dark: "github-dark" },
      defaultColor: false,
    });
    scope.postMessage({
      id,
      lines: result.tokens.map((line) =>
        line.map((token) => ({
          content: token.content,
          offset: token.offset,
          style: token.htmlStyle ?? {},
        })),
      ),
    });
  } catch {
    scope.postMessage({ id, lines: null });
  }
};
