import type { Mood } from '../../../src/conversation/mood';

/**
 * After-sales messages labelled by hand with the mood a support agent would read in them. Labels were written
 * before the lexicon judge's thresholds were chosen.
 * - satisfied: thanks, praise, relief that something worked;
 * - neutral: requests, questions, details, plain yes/no;
 * - frustrated: a problem told with disappointment or impatience, without hostility;
 * - angry: hostility, insults, threats (chargeback, lawyer, never again), shouting, stacked exclamations.
 */
export interface LabelledMessage {
  text: string;
  mood: Mood;
}

/** The messages the thresholds were chosen on. */
export const TUNING_MESSAGES: readonly LabelledMessage[] = [
  { mood: 'satisfied', text: 'Thanks so much, that was really helpful!' },
  { mood: 'satisfied', text: 'Perfect, the refund arrived today. Thank you!' },
  { mood: 'satisfied', text: "Great, that's exactly what I needed." },
  { mood: 'satisfied', text: 'Awesome, the replacement works perfectly.' },
  { mood: 'satisfied', text: 'Thank you, you sorted it out quickly.' },
  { mood: 'satisfied', text: 'Love the new headphones, thanks for the fast exchange' },
  { mood: 'satisfied', text: "That's great news, thanks" },
  { mood: 'satisfied', text: 'I appreciate your help with the return.' },
  { mood: 'satisfied', text: 'Excellent service, thank you very much!' },
  { mood: 'satisfied', text: 'ok thanks, have a nice day' },
  { mood: 'satisfied', text: 'Brilliant, it arrived early!' },
  { mood: 'satisfied', text: 'Wonderful, glad that worked out.' },

  { mood: 'neutral', text: 'Where is my order #W4821001?' },
  { mood: 'neutral', text: "I'd like to return the blender from my last order." },
  { mood: 'neutral', text: 'Can you tell me the warranty on the coffee maker?' },
  { mood: 'neutral', text: 'My email is olivia.brown@example.com and my zip is 10001' },
  { mood: 'neutral', text: 'I want to change the shipping address on order #W1234567' },
  { mood: 'neutral', text: 'How long does a refund take?' },
  { mood: 'neutral', text: 'Please cancel order #W7654321, I no longer need it' },
  { mood: 'neutral', text: 'What payment methods can I use?' },
  { mood: 'neutral', text: 'yes' },
  { mood: 'neutral', text: 'Can I exchange the black backpack for the blue one?' },
  { mood: 'neutral', text: 'When will my package arrive?' },
  { mood: 'neutral', text: 'Is it possible to pay with a gift card?' },
  { mood: 'neutral', text: "I'd like a refund for the lamp please" },
  { mood: 'neutral', text: 'Can you check the status of my exchange?' },
  { mood: 'neutral', text: "no, that's all" },

  { mood: 'frustrated', text: "I've been waiting two weeks and my order still hasn't arrived." },
  { mood: 'frustrated', text: "The blender arrived broken and I'm pretty disappointed." },
  { mood: 'frustrated', text: 'This is the second time I have to ask about my refund.' },
  { mood: 'frustrated', text: "The tracking hasn't updated in days, what is going on?" },
  { mood: 'frustrated', text: "I'm annoyed, the item I received is the wrong color." },
  { mood: 'frustrated', text: "Still no refund. It's been a month." },
  { mood: 'frustrated', text: 'The headphones stopped working after a week, not happy.' },
  { mood: 'frustrated', text: 'Why is this taking so long?' },
  { mood: 'frustrated', text: "The package is missing a part and I can't use it." },
  { mood: 'frustrated', text: 'I was charged twice for the same order, please fix this' },
  { mood: 'frustrated', text: "That doesn't help me at all." },
  { mood: 'frustrated', text: 'The replacement is damaged too, unbelievable.' },
  { mood: 'frustrated', text: "I'm getting tired of chasing this delivery." },
  { mood: 'frustrated', text: 'Nobody has answered my emails about the return.' },

  { mood: 'angry', text: 'This is UNACCEPTABLE. I want my money back NOW!' },
  { mood: 'angry', text: 'Your service is useless, worst company ever!!' },
  { mood: 'angry', text: "I'm furious, this is the third broken item you sent me!" },
  { mood: 'angry', text: "What a joke. I'll be filing a chargeback with my bank." },
  { mood: 'angry', text: 'Are you kidding me?! Where is my refund???' },
  { mood: 'angry', text: 'This is a scam, you stole my money' },
  { mood: 'angry', text: 'I am DONE with this company. Never ordering again!' },
  { mood: 'angry', text: 'Stop wasting my time, you incompetent bot!' },
  { mood: 'angry', text: 'This is ridiculous!!! Three weeks and nothing!' },
  { mood: 'angry', text: "I'm so angry right now, the laptop is broken AGAIN" },
  { mood: 'angry', text: "Terrible, terrible service. I'm calling my lawyer." },
  { mood: 'angry', text: 'wtf, where is my order' },
  { mood: 'angry', text: 'You people are pathetic.' },
  { mood: 'satisfied', text: 'Thanks, that answers my question.' },
  { mood: 'satisfied', text: 'The new kettle is lovely, thank you' },
  { mood: 'satisfied', text: 'Super, that was fast. Cheers!' },
  { mood: 'satisfied', text: 'Great, I got the refund email. Much appreciated.' },
  { mood: 'satisfied', text: 'Nice, thank you for the update' },
  { mood: 'satisfied', text: "You've been very helpful, thanks a lot" },
  { mood: 'satisfied', text: 'Fantastic, the exchange went smoothly.' },
  { mood: 'satisfied', text: 'good to know, thank you' },

  { mood: 'neutral', text: "What's the return window for electronics?" },
  { mood: 'neutral', text: 'Can I get the order details for #W2378156?' },
  { mood: 'neutral', text: 'My name is Yusuf Rossi, zip 19122' },
  { mood: 'neutral', text: 'I need to update my address' },
  { mood: 'neutral', text: 'Which card did I pay with?' },
  { mood: 'neutral', text: 'Do you ship to Canada?' },
  { mood: 'neutral', text: 'Could you track my parcel please?' },
  { mood: 'neutral', text: 'Change the payment to my gift card' },
  { mood: 'neutral', text: 'ok' },
  { mood: 'neutral', text: 'I would like to exchange the keyboard for a different switch type' },

  { mood: 'frustrated', text: "It's been ten days and the parcel is still stuck in transit." },
  { mood: 'frustrated', text: "The refund still hasn't shown up on my card." },
  { mood: 'frustrated', text: "The charger you sent doesn't fit, this is annoying." },
  { mood: 'frustrated', text: 'I already gave you my email twice.' },
  { mood: 'frustrated', text: 'Unfortunately the vacuum is faulty again.' },
  { mood: 'frustrated', text: 'This is taking way too long.' },
  {
    mood: 'frustrated',
    text: "I'm disappointed, the jacket is the wrong size and the return label is missing.",
  },
  { mood: 'frustrated', text: "That's not what I asked." },
  { mood: 'frustrated', text: "The speaker crackles, I'm not pleased." },
  { mood: 'frustrated', text: "I've been on hold forever, can someone just fix my order?" },

  { mood: 'angry', text: 'ARE YOU EVEN LISTENING? I SAID CANCEL IT!' },
  { mood: 'angry', text: 'Absolutely disgusting service, I want a full refund immediately!!' },
  { mood: 'angry', text: 'This useless bot is driving me insane' },
  { mood: 'angry', text: "I'm sick of your lies. Where is my package?!" },
  { mood: 'angry', text: 'Worst purchase of my life. You should be ashamed.' },
  { mood: 'angry', text: "Give me my money back or I'm reporting you" },
  { mood: 'angry', text: 'Third time asking!!! Is anyone competent there?' },
  { mood: 'angry', text: 'Damn it, the TV arrived smashed. Horrible!' },
];

/**
 * Written after the thresholds and word list were settled, and never used to change them: the honest accuracy.
 */
export const HELD_OUT_MESSAGES: readonly LabelledMessage[] = [
  { mood: 'satisfied', text: 'that worked, thank you so much' },
  { mood: 'satisfied', text: 'Got the replacement today and it is perfect :)' },
  { mood: 'satisfied', text: 'Thanks Ava, you made this really easy.' },
  { mood: 'satisfied', text: 'Happy with the new vacuum, the exchange was painless.' },
  { mood: 'satisfied', text: 'Amazing, thanks for sorting out the refund so fast' },
  { mood: 'satisfied', text: 'Cool, thanks for checking!' },
  { mood: 'satisfied', text: 'great, that helps a lot' },
  { mood: 'satisfied', text: 'Thank you for your patience with me' },

  { mood: 'neutral', text: 'Hi, I have a question about order #W5567001' },
  { mood: 'neutral', text: 'Is the toaster still under warranty?' },
  { mood: 'neutral', text: 'I paid with [card ending 4242], can the refund go back to that card?' },
  { mood: 'neutral', text: 'which orders do I have right now' },
  { mood: 'neutral', text: 'Please send it to 12 Elm Street, Boston 02108 instead' },
  { mood: 'neutral', text: 'What does the warranty cover exactly?' },
  { mood: 'neutral', text: 'sure, go ahead' },
  { mood: 'neutral', text: 'How do I return something I bought as a gift?' },
  { mood: 'neutral', text: 'Can I add another item to my pending order?' },
  { mood: 'neutral', text: 'My zip code is 80211' },

  { mood: 'frustrated', text: 'The courier says delivered but there is nothing at my door.' },
  { mood: 'frustrated', text: 'I was promised a call back yesterday and nobody called.' },
  { mood: 'frustrated', text: 'The same screen problem came back after the repair, sadly.' },
  { mood: 'frustrated', text: "This is the third email I've sent about the missing refund." },
  { mood: 'frustrated', text: "hmm that's not really an answer to my question" },
  { mood: 'frustrated', text: 'The dishwasher leaks and I have had it for only a month.' },
  { mood: 'frustrated', text: 'Why does it say pending, I ordered it two weeks ago?' },
  { mood: 'frustrated', text: "I'm a bit upset that the box came open and a part is gone." },
  { mood: 'frustrated', text: 'Your website keeps giving me an error when I try to return this.' },
  { mood: 'frustrated', text: 'Honestly I expected better for the price.' },

  { mood: 'angry', text: 'This is the WORST customer service I have ever dealt with.' },
  { mood: 'angry', text: "I've had enough!! Refund me or I dispute the charge." },
  { mood: 'angry', text: 'You keep lying to me. Where is my laptop???' },
  { mood: 'angry', text: 'Absolutely furious. Two broken TVs in a row.' },
  { mood: 'angry', text: 'stop giving me the same stupid answer' },
  { mood: 'angry', text: 'What kind of clown company is this? I want a human NOW' },
  { mood: 'angry', text: 'I hate this. Nothing works and nobody cares.' },
  { mood: 'angry', text: "You ruined my daughter's birthday, the gift never came. Disgraceful!" },
];
