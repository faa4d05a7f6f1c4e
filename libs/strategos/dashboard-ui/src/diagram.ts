import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';

let counter = 0;

/** The workflow's Mermaid diagram; mermaid is loaded on first use only (its own chunk), never from a CDN. */
export function Diagram({ source }: { source: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const { default: mermaid } = await import('mermaid');
        const dark = matchMedia('(prefers-color-scheme: dark)').matches;
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
        const { svg } = await mermaid.render(`strategos-diagram-${++counter}`, source);
        if (!cancelled && container.current) container.current.innerHTML = svg;
      } catch (caught) {
        if (!cancelled) setError((caught as Error).message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [source]);
  return html`
    <figure class="diagram">
      <div ref=${container} role="img" aria-label="Workflow diagram; the current phase is highlighted" data-testid="diagram"></div>
      ${error && html`<pre class="error">${error}</pre>`}
      <details>
        <summary>Mermaid source</summary>
        <pre class="mono">${source}</pre>
      </details>
    </figure>
  `;
}
