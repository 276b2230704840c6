"use client";

import { memo, useState, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
      className="absolute right-2 top-2 rounded border border-zinc-600 bg-zinc-800 px-2 py-0.5 text-xs text-zinc-200 hover:bg-zinc-700"
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (node && typeof node === "object" && "props" in node) return textOf((node as { props: { children?: ReactNode } }).props.children);
  return "";
}

const components: Components = {
  pre({ children }) {
    return (
      <div className="relative my-3">
        <CopyButton text={textOf(children)} />
        <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 pr-16 text-xs leading-relaxed text-zinc-100 dark:bg-black">{children}</pre>
      </div>
    );
  },
  code({ className, children }) {
    return className ? <code className={className}>{children}</code> : <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">{children}</code>;
  },
  a({ href, children }) {
    return (
      <a href={href} target="_blank" rel="noreferrer noopener" className="text-accent-700 underline dark:text-accent-100">
        {children}
      </a>
    );
  },
  // An image in model output would load by itself, and a prompt injection can put the conversation
  // in its URL: it is shown as a link the member may choose to open (the CSP blocks other origins too).
  img({ src, alt }) {
    const href = typeof src === "string" ? src : undefined;
    return (
      <a href={href} target="_blank" rel="noreferrer noopener" className="text-accent-700 underline dark:text-accent-100">
        {`Image: ${alt || href || "(no address)"}`}
      </a>
    );
  },
  table({ children }) {
    return (
      <div className="my-3 overflow-x-auto">
        <table className="text-sm [&_td]:border [&_td]:border-zinc-300 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-zinc-300 [&_th]:px-2 [&_th]:py-1 dark:[&_td]:border-zinc-700 dark:[&_th]:border-zinc-700">
          {children}
        </table>
      </div>
    );
  },
};

/** Markdown with GitHub extensions; raw HTML in model output is never rendered, images become links. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="space-y-2 text-sm leading-relaxed break-words [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_blockquote]:text-zinc-600">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
