/**
 * Types for the parts of NLP.js (v4, shipped without declarations) that the offline model uses. Checked against
 * node_modules/@nlpjs/{core,nlp,lang-en-min}/src: `containerBootstrap` returns the container synchronously,
 * `Nlp#classify` resolves to the NLU manager's answer.
 */

declare module '@nlpjs/core' {
  /** The dependency container every NLP.js component registers in. */
  export interface Container {
    use(plugin: unknown): unknown;
  }

  export function containerBootstrap(settings?: Record<string, unknown>): Container;
}

declare module '@nlpjs/lang-en-min' {
  /** English tokenizer, stemmer, stopwords and normalizer, registered with `container.use(LangEn)`. */
  export class LangEn {
    register(container: unknown): void;
  }
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpClassifyResult {
    /** The best intent, or `None` when no intent reached the threshold. */
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }

  export interface NlpSettings {
    languages?: string[];
    /** Off here: the mock file system NLP.js registers by default rejects writes. */
    autoSave?: boolean;
    autoLoad?: boolean;
    calculateSentiment?: boolean;
    /** Minimum score of the best intent; below it `intent` is `None`. */
    threshold?: number;
    nlu?: {
      log?: boolean;
      spellCheck?: boolean;
      spellCheckDistance?: number;
      useNoneFeature?: boolean;
    };
  }

  export class Nlp {
    constructor(settings: NlpSettings, container: Container);
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    classify(locale: string, utterance: string): Promise<NlpClassifyResult>;
  }
}
