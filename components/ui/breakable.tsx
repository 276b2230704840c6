import { Fragment } from "react";

/**
 * Text with line-break opportunities (<wbr>) after the commas, colons and opening brackets of JSON,
 * so a compact answer such as {"city":"Paris","count":3} wraps between its fields rather than inside a
 * word. The text itself is unchanged: what is copied is what the model wrote.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[,:{[])/);
  if (parts.length === 1) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}
