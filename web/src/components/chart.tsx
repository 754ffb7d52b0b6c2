import { useEffect, useRef } from 'react';

/** An ECharts chart (loaded on first use). `label` says in words what it shows, for screen readers. */
export function Chart({ option, label, height = 260 }: { option: Record<string, unknown>; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: unknown): void; resize(): void; dispose(): void } | undefined;
    const onResize = () => chart?.resize();
    void import('./echarts').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
