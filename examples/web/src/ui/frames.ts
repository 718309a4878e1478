// The main thread's responsiveness: the gaps between successive requestAnimationFrame callbacks
// while a meter runs (a gap of ~16.7 ms is a 60 Hz display keeping up; a long gap is a frame the
// page could not draw).

export class FrameGapMeter {
  longest = 0;
  frames = 0;
  private last = 0;
  private handle = 0;

  start(): void {
    this.stop();
    this.longest = 0;
    this.frames = 0;
    this.last = 0;
    const tick = (t: number) => {
      if (this.last > 0) this.longest = Math.max(this.longest, t - this.last);
      this.last = t;
      this.frames++;
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.handle) cancelAnimationFrame(this.handle);
    this.handle = 0;
  }
}
