import { describeKeyLimits } from "@/lib/api-keys/query-options";
import type { AuditAction } from "@/lib/audit/audit";
import type { AuditDto } from "@/lib/audit/query-options";
import { DataTable, type Column } from "@/components/ui/table";
import { When } from "@/components/ui/when";
import { formatUtc } from "@/lib/utc";

// Every action has a plain label: a new action without one does not compile.
const LABELS: Record<AuditAction, string> = {
  "auth.setup": "Created the first admin",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.sign_in_rate_limited": "Sign-in refused (rate limit)",
  "auth.sign_out": "Signed out",
  "member.add": "Added a member",
  "member.role_change": "Changed a role",
  "member.remove": "Removed a member",
  "provider.add": "Added a provider",
  "provider.update": "Changed a provider",
  "provider.remove": "Removed a provider",
  "model.import": "Imported models",
  "model.update": "Changed a model",
  "model.price_change": "Changed a price",
  "api_key.create": "Created an API key",
  "api_key.revoke": "Revoked an API key",
  "deployment.create": "Created a deployment",
  "deployment.update": "Changed a deployment",
  "deployment.pause": "Paused a deployment",
  "deployment.resume": "Resumed a deployment",
  "deployment.delete": "Deleted a deployment",
};

const COLUMNS: Column[] = ["When (UTC)", "Who", "What", "About", "Details", "Address"];

function describeDetails(row: AuditDto): string {
  const d = row.details ?? {};
  if (row.action === "member.role_change") return `${String(d.from)} → ${String(d.to)}`;
  if (row.action === "member.add" || row.action === "member.remove") return String(d.role ?? "");
  if (row.action === "model.price_change") return `${describePrice(d.from)} → ${describePrice(d.to)} per 1M tokens (in / out)`;
  if (row.action === "model.import" && Array.isArray(d.models)) return d.models.join(", ");
  if ((row.action === "model.update" || row.action === "provider.update" || row.action === "deployment.update") && Array.isArray(d.changed)) return `changed ${d.changed.join(", ")}`;
  if (row.action === "provider.add" || row.action === "provider.remove") return String(d.baseUrl ?? "");
  if (row.action === "api_key.revoke" && d.owner) return `owned by ${String(d.owner)}`;
  if (row.action === "api_key.create") {
    const limits = describeKeyLimits({
      allowedModels: Array.isArray(d.allowedModels) ? d.allowedModels.map(String) : null,
      rpmLimit: typeof d.rpmLimit === "number" ? d.rpmLimit : null,
      monthlyBudgetUsd: d.monthlyBudgetUsd == null ? null : Number(d.monthlyBudgetUsd),
    });
    return typeof d.expiresAt === "string" ? `${limits} · expires ${formatUtc(d.expiresAt, "day")}` : limits;
  }
  if (row.action === "deployment.create") return `${String(d.model)}, ${String(d.minReplicas)}–${String(d.maxReplicas)} replicas`;
  return "";
}

function describePrice(p: unknown): string {
  if (!p || typeof p !== "object") return "none";
  const { inputPerMillion, outputPerMillion } = p as { inputPerMillion?: number; outputPerMillion?: number };
  return `$${inputPerMillion} / $${outputPerMillion}`;
}

export function AuditTable({ rows }: { rows: AuditDto[] }) {
  return (
    <DataTable columns={COLUMNS}>
      {rows.map((r) => (
        <tr key={r.id}>
          <td className="whitespace-nowrap px-5 py-2.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">
            <When iso={r.at} precision="second" />
          </td>
          <td className="px-5 py-2.5">{r.actorEmail ?? <span className="text-zinc-400">anonymous</span>}</td>
          <td className={r.action.includes("failed") || r.action.includes("rate") ? "px-5 py-2.5 text-red-700 dark:text-red-400" : "px-5 py-2.5"}>
            {LABELS[r.action as AuditAction] ?? r.action}
          </td>
          <td className="px-5 py-2.5 text-zinc-600 dark:text-zinc-400">{r.target ?? ""}</td>
          <td className="px-5 py-2.5 text-zinc-600 dark:text-zinc-400">{describeDetails(r)}</td>
          <td className="px-5 py-2.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">{r.ipAddress ?? ""}</td>
        </tr>
      ))}
    </DataTable>
  );
}
