import { cn } from "@/components/ui/cn";

/** The product mark: a dot and the name. */
export function Brand({ large, className }: { large?: boolean; className?: string }) {
  return (
    <span className={cn("flex items-center gap-2", className)}>
      <span aria-hidden className={cn("inline-block rounded-full bg-accent-500", large ? "h-3.5 w-3.5" : "h-3 w-3")} />
      <span className={cn("font-semibold tracking-tight", large ? "text-xl" : "text-lg")}>Kindling</span>
    </span>
  );
}
