"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DataTable, stickyEndCell, type Column } from "@/components/ui/table";
import { describeKeyLimits, type ApiKeyDto } from "@/lib/api-keys/query-options";
import { When } from "@/components/ui/when";

function status(k: ApiKeyDto, now: number) {
  if (k.revokedAt) return <Badge>revoked</Badge>;
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return <Badge>expired</Badge>;
  return <Badge tone="accent">active</Badge>;
}

const day = (iso: string | null) => (iso ? <When iso={iso} /> : "never");

export function ApiKeysTable({
  keys,
  currentUserId,
  showOwner,
  busyId,
  onRevoke,
}: {
  keys: ApiKeyDto[];
  currentUserId: string;
  showOwner: boolean;
  busyId: string | null;
  onRevoke: (key: ApiKeyDto) => void;
}) {
  // Name and status first, Revoke kept in view: on a phone they are what is seen without scrolling.
  const columns: Column[] = ["Name", "Status", "Key", ...(showOwner ? ["Owner"] : []), "Limits", "Expires (UTC)", "Last used (UTC)", { label: "Actions", hidden: true, sticky: true }];
  // Read once per mount: render must be pure, and an expiry passing while the page is open is shown on the next load.
  const [now] = useState(() => Date.now());
  return (
    <DataTable columns={columns} nowrapHeader>
      {keys.map((k) => (
        <tr key={k.id}>
          <td className="min-w-32 px-5 py-3 font-medium">{k.name}</td>
          <td className="px-5 py-3">{status(k, now)}</td>
          <td className="px-5 py-3 font-mono text-xs">{k.prefix}…</td>
          {showOwner ? (
            <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">
              {k.owner.email} {k.owner.id === currentUserId ? <Badge tone="blue">you</Badge> : null}
            </td>
          ) : null}
          <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">{describeKeyLimits(k)}</td>
          <td className="px-5 py-3 whitespace-nowrap text-zinc-500 dark:text-zinc-400">{day(k.expiresAt)}</td>
          <td className="px-5 py-3 whitespace-nowrap text-zinc-500 dark:text-zinc-400">{day(k.lastUsedAt)}</td>
          <td className={cn("px-5 py-3 text-right", stickyEndCell)}>
            {k.revokedAt ? null : (
              <Button variant="danger" size="sm" disabled={busyId === k.id} onClick={() => onRevoke(k)} aria-label={`Revoke ${k.name}`}>
                Revoke
              </Button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
