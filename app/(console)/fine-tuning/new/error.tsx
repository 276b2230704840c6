"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";

export default function FineTuningError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="max-w-3xl space-y-4">
      <PageHeader title="Fine-tuning" />
      <Alert tone="error">This page could not be loaded. The server log has the details.</Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
