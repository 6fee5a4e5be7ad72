import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import { AppError } from '../../shared/errors';
import {
  extractEmails,
  extractOrderIds,
  extractZip,
  mentionsAvatar,
  normalizeForClassification,
} from './entities';
import { INTENTS, isIntent, type Intent } from './intents';
import { TRAINING_CORPUS } from './training-corpus';

export interface IntentClassification {
  intent: Intent;
  /** The classifier's confidence in `intent`, 0 to 1 (1 for rule-based decisions). */
  score: number;
}

export interface IntentClassifierOptions {
  /** Utterances per intent; the built-in corpus by default. */
  corpus?: Readonly<Record<Intent, readonly string[]>>;
  /**
   * Below this confidence a message is `unknown`. Default 0.5, NLP.js's own default: the neural classifier's
   * scores are softmax-like, so a best intent under half the mass is a guess between several.
   */
  threshold?: number;
}

const DEFAULT_THRESHOLD = 0.5;
const LOCALE = 'en';

/** Filler that leaves a message "only identity details" once emails, zips and ids are taken out. */
const IDENTITY_FILLER =
  /\b(?:my|the|is|it's|its|email|e-mail|address|zip|zipcode|zip code|postal|postcode|code|and|here|you go|sure|ok|okay|yes|it|name|for|me|account|on|under)\b/giu;

/**
 * An NLP.js neural intent classifier trained on the project's corpus. Training happens once, lazily, on the
 * first `classify` or an explicit `train()` (about a second for the built-in corpus), never at import. A model
 * file saved in the repository was considered and rejected: it would be a large generated artefact that
 * drifts from the corpus it came from, to save a second once per process.
 */
export class IntentClassifier {
  private readonly corpus: Readonly<Record<Intent, readonly string[]>>;
  private readonly threshold: number;
  private training: Promise<Nlp> | null = null;
  private trainedInMs: number | null = null;

  constructor(options: IntentClassifierOptions = {}) {
    this.corpus = options.corpus ?? TRAINING_CORPUS;
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const documents = Object.values(this.corpus).reduce((total, list) => total + list.length, 0);
    if (documents === 0)
      throw new AppError('config_invalid', 'the intent corpus has no utterances');
    if (!(this.threshold > 0 && this.threshold < 1)) {
      throw new AppError('config_invalid', 'the intent threshold must be between 0 and 1', {
        details: { threshold: this.threshold },
      });
    }
  }

  /** Milliseconds the training took, once it has finished; null before. */
  get trainingMs(): number | null {
    return this.trainedInMs;
  }

  /** Trains once; later calls share the same training. A failed training is retried on the next call. */
  async train(): Promise<void> {
    await this.model();
  }

  /** The intent of one customer message. */
  async classify(text: string): Promise<IntentClassification> {
    const normalized = normalizeForClassification(text);
    if (normalized.replace(/[^\p{L}\p{N}]/gu, '') === '') return { intent: 'unknown', score: 1 };
    if (isIdentityOnly(text)) return { intent: 'verify', score: 1 };
    // "Avatar" and "profile picture" mean nothing else here; a rule is surer than the classifier on rare words.
    if (mentionsAvatar(text) && extractOrderIds(text).length === 0)
      return { intent: 'avatar', score: 1 };
    const nlp = await this.model();
    const result = await nlp.classify(LOCALE, normalized);
    const best = result.classifications[0];
    if (best === undefined || !isIntent(best.intent) || best.score < this.threshold) {
      return { intent: 'unknown', score: best?.score ?? 0 };
    }
    return { intent: best.intent, score: best.score };
  }

  private model(): Promise<Nlp> {
    this.training ??= this.trainModel().catch((error: unknown) => {
      this.training = null;
      throw new AppError(
        'model_unavailable',
        'the offline intent classifier could not be trained',
        {
          cause: error,
        },
      );
    });
    return this.training;
  }

  private async trainModel(): Promise<Nlp> {
    const started = performance.now();
    const container = containerBootstrap();
    container.use(LangEn);
    const nlp = new Nlp(
      {
        languages: [LOCALE],
        autoSave: false,
        autoLoad: false,
        calculateSentiment: false,
        // Typos one edit away from a known word ("cancle", "pakage") are read as that word.
        nlu: { log: false, spellCheck: true, spellCheckDistance: 1 },
      },
      container,
    );
    nlp.addLanguage(LOCALE);
    for (const intent of INTENTS) {
      for (const utterance of this.corpus[intent]) {
        nlp.addDocument(LOCALE, normalizeForClassification(utterance), intent);
      }
    }
    await nlp.train();
    this.trainedInMs = Math.round(performance.now() - started);
    return nlp;
  }
}

/** A message that only gives an email and/or zip code ("jane@example.com 19122"): verification details. */
function isIdentityOnly(text: string): boolean {
  const hasDetail = extractEmails(text).length > 0 || extractZip(text) !== null;
  if (!hasDetail || extractOrderIds(text).length > 0) return false;
  const rest = normalizeForClassification(text)
    .replace(/\b(?:email|zipcode)\b/gu, ' ')
    .replace(IDENTITY_FILLER, ' ')
    .replace(/[^\p{L}]/gu, '');
  return rest === '';
}

let sharedClassifier: IntentClassifier | null = null;

/** The process-wide classifier on the built-in corpus, so every offline model shares one training. */
export function sharedIntentClassifier(): IntentClassifier {
  sharedClassifier ??= new IntentClassifier();
  return sharedClassifier;
}
