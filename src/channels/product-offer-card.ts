import { ActivityTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import {
  formatDollars,
  offerText,
  type ProductOffer,
} from '../conversation/recommendation-advisor';
import { isRecord } from '../shared/is-record';
import type { ChannelKind } from './channel-kind';

/** What the "No thanks" button posts back. The bot reads exactly this shape from `activity.value`. */
export interface ProductOfferValue {
  productOffer: { id: string; decision: 'decline' };
}

export const PRODUCT_OFFER_DECLINE = {
  title: 'No thanks',
  /** The customer's words when the channel shows the press as a message (Teams' messageBack). */
  text: 'No thanks',
} as const;

const CARD_VERSION = '1.5';

/**
 * The offer as one message: the intro and up to three products on one Adaptive Card with a "No thanks" button
 * (Teams and Web Chat); the same in plain words elsewhere. Never on the phone: a caller who is saying goodbye
 * should not be kept on the line to hear a list of products, so voice gets null.
 */
export function productOfferActivity(
  kind: ChannelKind,
  offer: ProductOffer,
): Partial<Activity> | null {
  switch (kind) {
    case 'voice':
      return null;
    case 'text':
      return { type: ActivityTypes.Message, text: offerText(offer), textFormat: 'markdown' };
    case 'teams':
    case 'webchat':
      return {
        type: ActivityTypes.Message,
        text: offer.intro,
        textFormat: 'markdown',
        attachments: [productOfferCard(offer)],
      };
  }
}

/** The card: each product's name, description, price and why it is suggested; one "No thanks" button. */
export function productOfferCard(offer: ProductOffer): Attachment {
  const value: ProductOfferValue = { productOffer: { id: offer.id, decision: 'decline' } };
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    speak: `You might also like ${offer.products.map((product) => product.name).join(', ')}.`,
    body: offer.products.map((product, index) => ({
      type: 'Container',
      separator: index > 0,
      spacing: index > 0 ? 'Medium' : 'None',
      items: [
        {
          type: 'ColumnSet',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [{ type: 'TextBlock', text: product.name, weight: 'Bolder', wrap: true }],
            },
            {
              type: 'Column',
              width: 'auto',
              items: [
                {
                  type: 'TextBlock',
                  text: `from ${formatDollars(product.priceFromCents)}`,
                  wrap: false,
                },
              ],
            },
          ],
        },
        ...(product.description === null
          ? []
          : [{ type: 'TextBlock', text: product.description, wrap: true, spacing: 'Small' }]),
        {
          type: 'TextBlock',
          text: `Goes with your ${product.becauseOf.name}`,
          isSubtle: true,
          size: 'Small',
          spacing: 'Small',
          wrap: true,
        },
      ],
    })),
    actions: [
      {
        type: 'Action.Submit',
        title: PRODUCT_OFFER_DECLINE.title,
        // Web Chat posts `data` as the activity's value; Teams posts a messageBack, showing the customer's
        // choice as their own message and carrying the same value.
        data: {
          ...value,
          msteams: {
            type: 'messageBack',
            displayText: PRODUCT_OFFER_DECLINE.text,
            text: PRODUCT_OFFER_DECLINE.text,
            value,
          },
        },
      },
    ],
  });
}

/** Reads the "No thanks" button's value; anything else is not a decline. */
export function readProductOfferValue(value: unknown): ProductOfferValue['productOffer'] | null {
  if (!isRecord(value) || !isRecord(value.productOffer)) return null;
  const { id, decision } = value.productOffer;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
  if (decision !== 'decline') return null;
  return { id, decision };
}
