"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DeploymentCharts } from "@/components/charts/deployment-charts";
import { EventsTimeline } from "@/components/deployments/events-timeline";
import { fmtMs, fmtRate, fmtRpm } from "@/components/deployments/format";
import { ReplicasTable } from "@/components/deployments/replicas-table";
import { StateBadge } from "@/components/deployments/state-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { handleSubmit } from "@/components/ui/use-form-submit";
import { useActionMutation } from "@/lib/client/use-action-mutation";
import { deploymentEventsQuery, deploymentQuery, deploymentSamplesQuery, deploymentsQuery, type DeploymentDto } from "@/lib/deployments/query-options";
import type { UpdateDeploymentInput } from "@/lib/deployments/schemas";
import { deleteDeploymentAction, setDeploymentPausedAction, updateDeploymentAction } from "../actions";
import { formatUtc } from "@/lib/utc";


const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

function SettingsForms({ d, onSaved }: { d: DeploymentDto; onSaved: (text: string) => void }) {
  const [scale, setScale] = useState({ minReplicas: String(d.minReplicas), maxReplicas: String(d.maxReplicas), targetConcurrency: String(d.targetConcurrency) });
  const [engine, setEngine] = useState({ threads: String(d.engine.threads), parallel: String(d.engine.parallel), contextSize: d.engine.contextSize === null ? "" : String(d.engine.contextSize) });
  const save = useActionMutation(updateDeploymentAction, {
    invalidate: [deploymentsQuery.queryKey],
    onSuccess: (r, input: UpdateDeploymentInput) => onSaved(input.engine ? `Saved; rolling the replicas to generation ${r.generation}: new ones are ready before old ones stop.` : "Saved the scaling settings."),
  });
  const err = save.error;
  const fe = (k: string) => err?.fieldErrors?.[k]?.[0];
  const submitScale = handleSubmit(() =>
    save.mutate({ name: d.name, minReplicas: num(scale.minReplicas), maxReplicas: num(scale.maxReplicas), targetConcurrency: num(scale.targetConcurrency) }),
  );
  const submitEngine = handleSubmit(() =>
    save.mutate({ name: d.name, engine: { threads: num(engine.threads), parallel: num(engine.parallel), contextSize: engine.contextSize.trim() === "" ? null : num(engine.contextSize) } }),
  );
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {err && !err.fieldErrors ? <Alert tone="error" className="lg:col-span-2">{err.message}</Alert> : null}
      <Card>
        <CardHeader title="Scale" description="Autoscaling keeps the replicas between the minimum and maximum." />
        <form onSubmit={submitScale} className="grid gap-4 p-5 sm:grid-cols-3" noValidate>
          <TextField label="Minimum" inputMode="numeric" value={scale.minReplicas} error={fe("minReplicas")} onChange={(e) => setScale({ ...scale, minReplicas: e.target.value })} />
          <TextField label="Maximum" inputMode="numeric" value={scale.maxReplicas} error={fe("maxReplicas")} onChange={(e) => setScale({ ...scale, maxReplicas: e.target.value })} />
          <TextField label="Target per replica" inputMode="decimal" value={scale.targetConcurrency} error={fe("targetConcurrency")} onChange={(e) => setScale({ ...scale, targetConcurrency: e.target.value })} />
          <div className="sm:col-span-3">
            <Button type="submit" variant="secondary" disabled={save.isPending}>
              Save scaling
            </Button>
          </div>
        </form>
      </Card>
      <Card>
        <CardHeader title="Engine settings" description="A change rolls the replicas one by one." />
        <form onSubmit={submitEngine} className="grid gap-4 p-5 sm:grid-cols-3" noValidate>
          <TextField label="Threads" inputMode="numeric" value={engine.threads} error={fe("engine.threads")} onChange={(e) => setEngine({ ...engine, threads: e.target.value })} />
          <TextField label="Parallel sequences" inputMode="numeric" value={engine.parallel} error={fe("engine.parallel")} onChange={(e) => setEngine({ ...engine, parallel: e.target.value })} />
          <TextField label="Context size" inputMode="numeric" placeholder="model default" value={engine.contextSize} error={fe("engine.contextSize")} onChange={(e) => setEngine({ ...engine, contextSize: e.target.value })} />
          <div className="sm:col-span-3">
            <Button type="submit" variant="secondary" disabled={save.isPending}>
              Save and roll
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

function DangerZone({ d, onDone }: { d: DeploymentDto; onDone: (text: string) => void }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const pause = useActionMutation(setDeploymentPausedAction, {
    invalidate: [deploymentsQuery.queryKey],
    onSuccess: (r) => onDone(r.status === "paused" ? "Paused: the replicas drain and stop." : "Resumed: replicas are starting."),
  });
  const remove = useActionMutation(deleteDeploymentAction, {
    invalidate: [deploymentsQuery.queryKey],
    onSuccess: () => router.push("/deployments"),
  });
  const error = pause.error ?? remove.error;
  return (
    <Card>
      <CardHeader title="Pause or delete" />
      <div className="space-y-4 p-5">
        {error ? <Alert tone="error">{error.message}</Alert> : null}
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" disabled={pause.isPending} onClick={() => pause.mutate({ name: d.name, paused: d.status !== "paused" })}>
            {d.status === "paused" ? "Resume" : "Pause"}
          </Button>
          {!confirming ? (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Delete…
            </Button>
          ) : null}
        </div>
        {confirming ? (
          <form
            className="space-y-3 rounded-md border border-red-300 p-4 dark:border-red-900"
            onSubmit={handleSubmit(() => remove.mutate({ name: d.name }))}
          >
            <p className="text-sm">Deleting stops every replica; apps calling {d.name} get errors. The events stay readable. Type the name to confirm.</p>
            <TextField label="Deployment name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            <div className="flex gap-3">
              <Button type="submit" variant="danger" disabled={typed !== d.name || remove.isPending}>
                Delete {d.name}
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : null}
      </div>
    </Card>
  );
}

export function DeploymentDetailView({ name, canEdit }: { name: string; canEdit: boolean }) {
  const d = useQuery(deploymentQuery(name));
  const events = useQuery(deploymentEventsQuery(name));
  const samples = useQuery(deploymentSamplesQuery(name));
  const [notice, setNotice] = useState<string | null>(null);
  const chartData = useMemo(
    () => (samples.data ?? []).map((s) => ({ ...s, t: formatUtc(s.at, "time") })),
    [samples.data],
  );
  if (!d.data) {
    return d.isError ? (
      <div className="space-y-3">
        <Alert tone="error">{d.error.message}</Alert>
        <Link href="/deployments" className="text-sm underline">
          Back to deployments
        </Link>
      </div>
    ) : null;
  }
  const dep = d.data;
  return (
    <div className="space-y-6">
      <PageHeader
        title={dep.name}
        description={
          <>
            {dep.model.name}
            {dep.adapters.length ? ` with adapters ${dep.adapters.map((a) => `${dep.name}:${a.name}`).join(", ")}` : ""} · apps call it as <code>model: &quot;{dep.name}&quot;</code>
            {dep.failoverModel ? ` · failover ${dep.failoverModel.name}` : ""}
          </>
        }
        actions={<StateBadge state={dep.state} />}
      />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {d.isError ? <Alert tone="error">Refreshing failed: {d.error.message}. What you see may be stale.</Alert> : null}
      <Card className="p-5">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="Replicas ready" value={`${dep.readyReplicas} / ${dep.desiredReplicas}`} />
          <Stat label="Req/min (15 min)" value={fmtRpm(dep.stats.requestsPerMinute)} />
          <Stat label="p50 TTFT" value={fmtMs(dep.stats.ttftP50Ms)} />
          <Stat label="p95 TTFT" value={fmtMs(dep.stats.ttftP95Ms)} />
          <Stat label="Errors" value={fmtRate(dep.stats.errorRate)} />
        </dl>
      </Card>
      <Card>
        <CardHeader title="Replicas" description={`Generation ${dep.generation}; ${dep.engine.parallel} parallel sequences and ${dep.engine.threads} thread(s) each.`} />
        <ReplicasTable replicas={dep.replicas} generation={dep.generation} />
      </Card>
      <Card className="p-5">
        {samples.isError ? <Alert tone="error">The charts could not be loaded: {samples.error.message}</Alert> : chartData.length < 2 ? <p className="text-sm text-zinc-500">The charts fill in as samples arrive (every 10 s).</p> : (
          <>
            <p className="mb-3 text-xs text-zinc-500 dark:text-zinc-400">A sample every 10 s; times in UTC.</p>
            <DeploymentCharts data={chartData} />
          </>
        )}
      </Card>
      {canEdit ? <SettingsForms key={`${dep.generation}-${dep.updatedAt}`} d={dep} onSaved={setNotice} /> : null}
      <Card>
        <CardHeader title="Events" description="Newest first; times in UTC." />
        {events.isError ? <Alert tone="error" className="m-4">{events.error.message}</Alert> : <EventsTimeline events={events.data ?? []} />}
      </Card>
      {canEdit ? <DangerZone d={dep} onDone={setNotice} /> : null}
    </div>
  );
}
