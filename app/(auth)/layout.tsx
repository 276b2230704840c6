import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2">
          <span aria-hidden className="inline-block h-3.5 w-3.5 rounded-full bg-accent-500" />
          <span className="text-xl font-semibold tracking-tight">Kindling</span>
        </div>
        {children}
      </div>
    </main>
  );
}
