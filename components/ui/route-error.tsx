"use client";

import { Alert } from "./alert";
import { Button } from "./button";
import { PageHeader } from "./page-header";

/**
 * A route's error.tsx: a plain sentence and a retry. The error's own message is not shown: in
 * production Next replaces it with a generic one, and the server log has the details.
 */
export function RouteError({ title, what, reset }: { title: string; what: string; reset: () => void }) {
  return (
    <div className="max-w-3xl space-y-4">
      <PageHeader title={title} />
      <Alert tone="error">{what} could not be loaded. The server log has the details.</Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
