// Starter role-play scenarios in plain language, by IPT problem area.
// A facilitator picks one on the console, adapts the words, then casts people in the roles.

export const PROMPT_LIBRARY = {
  grief: [
    {
      title: 'Talking about the person who died',
      text: 'A friend asks how you are doing since your father died. Tell them honestly, '
        + 'and tell them one thing you miss about him.',
      roles: ['You', 'Your friend'],
    },
    {
      title: 'Asking for company on a hard day',
      text: 'The anniversary of your partner\'s death is next week. Ask your neighbour '
        + 'if they would spend some of that day with you.',
      roles: ['You', 'Your neighbour'],
    },
    {
      title: 'Saying yes to an invitation again',
      text: 'A cousin invites you to a family meal. Since the loss you have said no to '
        + 'everything. Tell them you would like to come, and what would make it easier.',
      roles: ['You', 'Your cousin'],
    },
  ],
  role_dispute: [
    {
      title: 'Sharing the care of a parent',
      text: 'Tell your sister you need her to visit your mother on weekends too.',
      roles: ['You', 'Your sister'],
    },
    {
      title: 'Chores at home',
      text: 'Tell your partner that you feel tired doing most of the housework, and agree '
        + 'together on one thing they will take over this week.',
      roles: ['You', 'Your partner'],
    },
    {
      title: 'Too much at work',
      text: 'Your boss has given you extra work again. Tell them calmly what you can '
        + 'finish this week and what you cannot.',
      roles: ['You', 'Your boss'],
    },
  ],
  role_transition: [
    {
      title: 'After losing a job',
      text: 'You lost your job last month. Tell an old colleague what happened and ask '
        + 'if they know of any work.',
      roles: ['You', 'Your old colleague'],
    },
    {
      title: 'New in town',
      text: 'You have just moved. Introduce yourself to a neighbour and ask where people '
        + 'meet in the area.',
      roles: ['You', 'Your neighbour'],
    },
    {
      title: 'Becoming a parent',
      text: 'Since the baby came you have had no time for yourself. Ask your mother if '
        + 'she could help one afternoon a week.',
      roles: ['You', 'Your mother'],
    },
  ],
  interpersonal_deficits: [
    {
      title: 'Starting a conversation',
      text: 'At the market, start a short conversation with someone you see every week '
        + 'but have never spoken to.',
      roles: ['You', 'The other person'],
    },
    {
      title: 'Getting back in touch',
      text: 'Call an old friend you have not spoken to for a year. Say you have been '
        + 'thinking of them and suggest meeting for tea.',
      roles: ['You', 'Your old friend'],
    },
    {
      title: 'Joining in',
      text: 'Ask a group at your place of worship or community centre if you can join '
        + 'their next activity.',
      roles: ['You', 'The group leader'],
    },
  ],
};
