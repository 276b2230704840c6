import type { ReactNode } from "react";
import { Brand } from "@/components/shell/brand";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <Brand large className="mb-8 justify-center" />
        {children}
      </div>
    </main>
  );
}
