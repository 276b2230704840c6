import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { getAuthContext } from "@/lib/auth/auth";
import { hasRole } from "@/lib/auth/roles";
import { requirePageRole } from "@/lib/auth/session";
import { pickDefaultModel } from "@/lib/playground/panels";
import { listPlaygroundModels } from "@/lib/playground/picker-models";
import { pickerModelsQuery, savedPromptsQuery } from "@/lib/playground/query-options";
import { listSavedPrompts } from "@/lib/playground/saved-prompts";
import { makeQueryClient } from "@/lib/query-client";
import { PlaygroundView } from "./playground-view";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ model?: string; compare?: string }> }) {
  const me = await requirePageRole("viewer");
  const { db } = await getAuthContext();
  const [models, saved, { model, compare }] = await Promise.all([listPlaygroundModels(db), listSavedPrompts(db), searchParams]);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(pickerModelsQuery.queryKey, models);
  queryClient.setQueryData(savedPromptsQuery.queryKey, saved);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PlaygroundView
        canRun={hasRole(me.role, "member")}
        defaultModelId={pickDefaultModel(models, model)?.id ?? ""}
        // "Compare in playground" (a fine-tuning job) opens the base and the fine-tuned model side by side.
        compareModelId={models.find((m) => m.id === compare)?.id}
      />
    </HydrationBoundary>
  );
}
