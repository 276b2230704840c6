import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { NONCE_HEADER } from "@/lib/http/security-headers";
import { ThemeScript } from "./theme-script";

export const metadata: Metadata = {
  title: { default: "Kindling", template: "%s · Kindling" },
  description: "A self-hosted console for teams that build on AI models",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The CSP nonce of this request (lib/http/security-headers.ts); reading it renders every page per request.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
