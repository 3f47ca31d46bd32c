/**
 * What a virtualised grid needs of its scrolling element: its size (followed with a ResizeObserver) and its
 * scroll position, read at most once per animation frame so a fast scroll re-renders at the screen's pace.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface ScrollViewport {
  size: { width: number; height: number };
  scrollTop: number;
  setScrollTop: (top: number) => void;
  /** For the element's onScroll. */
  onScroll: () => void;
}

export function useScrollViewport(scroller: RefObject<HTMLElement | null>): ScrollViewport {
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scroller]);

  const frame = useRef(0);
  const onScroll = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (scroller.current) setScrollTop(scroller.current.scrollTop);
    });
  }, [scroller]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  return { size, scrollTop, setScrollTop, onScroll };
}
