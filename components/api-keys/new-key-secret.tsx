"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** The one time a key's secret is shown: copy it now, it is not stored anywhere readable. */
export function NewKeySecret({ name, secret, gatewayUrl, onDone }: { name: string; secret: string; gatewayUrl: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Card className="border-accent-500 p-5" role="region" aria-label="New API key">
      <p className="font-medium">Your new key {name}</p>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Copy it now: it will not be shown again. Use it as <code>Authorization: Bearer …</code> against {gatewayUrl}, or set it as KINDLING_API_KEY for the playground&apos;s code snippets.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code data-testid="new-key-secret" className="min-w-0 flex-1 break-all rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">
          {secret}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </Card>
  );
}
