/**
 * The server that "restarts" in `evaluations-restart.test.ts`: it starts an evaluation (the
 * body is argv[2]) with the real runner, run manager and recorder, waits until argv[3] cells
 * ended `ok` with their calls recorded, says so on stdout, and waits to be killed (SIGKILL)
 * while the other cells are still in flight.
 *
 * Run with: node --conditions=react-server --import tsx test/support/evaluation-restart-child.ts
 */
import { getDb } from "@/lib/db/client";
import { createEvaluation } from "@/lib/evaluations/evaluation-service";

const body: unknown = JSON.parse(process.argv[2] ?? "{}");
const wanted = Number(process.argv[3] ?? "1");
const { evaluationId } = createEvaluation(body);

const statement = getDb().sqlite.prepare(
  `select count(*) as ended from evaluation_cells cell join calls call on call.id = cell.call_id
   where cell.evaluation_id = ? and cell.status = 'ok' and call.status = 'ok'`,
);
const poll = setInterval(() => {
  const { ended } = statement.get(evaluationId) as { ended: number };
  if (ended >= wanted) {
    clearInterval(poll);
    process.stdout.write(`${JSON.stringify({ evaluationId })}\n`);
  }
}, 20);
