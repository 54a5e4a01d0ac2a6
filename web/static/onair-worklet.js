// The live broadcast's audio worklet: mixes the microphone to mono,
// downsamples it to 16 kHz (averaging each output sample's input window,
// a low-pass good enough for speech) and posts 20 ms frames of signed
// 16-bit PCM (little-endian, as every platform a browser runs on) with
// their peak level to the page.
class LoaPCM16 extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;
    this.acc = 0; this.n = 0; this.pos = 0;
    this.frame = new Int16Array(320); // 20 ms at 16 kHz
    this.k = 0; this.peak = 0;
  }

  process(inputs) {
    var chans = inputs[0];
    if (!chans || chans.length === 0) return true;
    var len = chans[0].length;
    for (var i = 0; i < len; i++) {
      var v = 0;
      for (var c = 0; c < chans.length; c++) v += chans[c][i];
      this.acc += v / chans.length; this.n++; this.pos += 1;
      if (this.pos >= this.ratio) {
        this.pos -= this.ratio;
        this.push(this.acc / this.n);
        this.acc = 0; this.n = 0;
      }
    }
    return true;
  }

  push(s) {
    s = Math.max(-1, Math.min(1, s));
    this.frame[this.k++] = Math.round(s * 32767);
    this.peak = Math.max(this.peak, Math.abs(s));
    if (this.k === this.frame.length) {
      this.port.postMessage({ pcm: this.frame.buffer, peak: this.peak }, [this.frame.buffer]);
      this.frame = new Int16Array(320);
      this.k = 0; this.peak = 0;
    }
  }
}
registerProcessor('loa-pcm16', LoaPCM16);
