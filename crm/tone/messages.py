"""What the guard says about each kind of finding: a plain explanation and a kinder phrasing.

Lazy strings, so they follow the interface language active when the check runs.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORIES = (
    "insult",
    "blame",
    "rating_pressure",
    "threat",
    "sarcasm",
    "dismissive",
    "shouting",
    "personal_data",
)

CATEGORY_LABELS = {
    "insult": _("Insult or profanity"),
    "blame": _("Blaming the buyer"),
    "rating_pressure": _("Pressure about the rating"),
    "threat": _("Threat"),
    "sarcasm": _("Sarcasm or condescension"),
    "dismissive": _("Dismissive"),
    "shouting": _("Shouting"),
    "personal_data": _("Personal data"),
}

# kind -> (explanation, hint)
MESSAGES = {
    "insult": (
        _("This word insults or swears at the buyer, even when the spelling is disguised."),
        _("Remove the word. Describe the problem and what you will do about it."),
    ),
    "insult_directed": (
        _("This calls the buyer a name."),
        _('Talk about the order, not the person: "Let us check this together."'),
    ),
    "insult_phrase": (
        _("This phrase mocks the buyer's intelligence or manners."),
        _("Leave it out and explain the facts calmly."),
    ),
    "blame": (
        _("This puts the blame on the buyer."),
        _(
            'Explain what happened without fault: "The size chart is in the description; '
            'we are happy to exchange it."'
        ),
    ),
    "rating_demand": (
        _("This asks the buyer to change or remove their rating."),
        _("Solve the problem first and do not mention the rating; many channels forbid it."),
    ),
    "rating_bargain": (
        _("This offers something in exchange for a better rating, or makes help depend on it."),
        _("Offer the refund, voucher or replacement without any condition on the review."),
    ),
    "rating_guilt": (
        _("This questions why the buyer gave this rating."),
        _("Thank the buyer for the feedback and ask what would have made it better."),
    ),
    "rating_invite_ok": (
        _(
            "A polite invitation to update the review after the problem was solved. "
            "This channel allows it, but use it sparingly."
        ),
        _(
            'Keep it optional and only once: "If you are happy with the solution, feel free to update your review."'
        ),
    ),
    "rating_invite_forbidden": (
        _("This channel's rules forbid asking buyers to change a review."),
        _("Remove the request; a good resolution speaks for itself."),
    ),
    "rating_invite_unresolved": (
        _("This asks for a better review before the problem has been solved."),
        _(
            "Solve the problem first; only then, and only where the channel allows it, invite an update."
        ),
    ),
    "threat": (
        _("This threatens the buyer (reporting, blocking or exposing them)."),
        _("Remove the threat. If a review breaks the rules, report it quietly to the channel."),
    ),
    "threat_legal": (
        _("This threatens legal or police action against the buyer."),
        _("Keep legal matters out of a public reply; answer the complaint itself."),
    ),
    "sarcasm": (
        _("This reads as sarcastic."),
        _("Say what you mean plainly and kindly."),
    ),
    "condescension": (
        _("This talks down to the buyer."),
        _('Assume good faith: "It can be confusing; here is how it works."'),
    ),
    "mocking": (
        _("Laughter or an eye-roll here reads as mocking the buyer."),
        _("Leave the laughter out of a reply to a complaint."),
    ),
    "dismissive": (
        _("This brushes the buyer off."),
        _('Acknowledge the problem and say what you can do: "We understand, and we will ..."'),
    ),
    "dismissive_mild": (
        _("Declining responsibility this bluntly can sound dismissive."),
        _('Say what you can still do: "The delay was at the courier; we have chased it for you."'),
    ),
    "minimising": (
        _("This plays down the buyer's problem."),
        _('Acknowledge it even if it seems small: "Sorry it arrived a day late."'),
    ),
    "caps": (
        _("Text in capital letters reads as shouting."),
        _("Write in normal sentence case."),
    ),
    "caps_word": (
        _("A word in capitals reads as raising your voice."),
        _("Write it in lower case; use bold or a short sentence for emphasis."),
    ),
    "punct": (
        _("Repeated exclamation or question marks read as shouting or exasperation."),
        _("One mark is enough."),
    ),
    "phone": (
        _("A phone number in a public reply exposes personal data."),
        _("Remove it and continue in a private chat."),
    ),
    "email": (
        _("An email address in a public reply exposes personal data."),
        _("Remove it and continue in a private chat."),
    ),
    "address": (
        _("An address in a public reply exposes the buyer's personal data."),
        _('Remove the address; say "the delivery address" instead.'),
    ),
    "own_contact": (
        _(
            "Contact details in a public reply: many marketplaces forbid moving buyers off the platform."
        ),
        _("Invite the buyer to the marketplace chat instead."),
    ),
}
