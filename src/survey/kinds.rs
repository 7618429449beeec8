//! The closed lists of the survey model: statuses, question kinds, collection point kinds,
//! channels and age brackets.

macro_rules! coded_enum {
    ($name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The French label people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(input: &str) -> Result<Self, $crate::domain::ParseError> {
                let input = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|value| value.code() == input)
                    .ok_or_else(|| $crate::domain::ParseError::new("Choisissez une valeur dans la liste."))
            }
        }
    };
}

pub(crate) use coded_enum;

coded_enum!(SurveyStatus {
    Draft => ("draft", "Brouillon"),
    Open => ("open", "Ouverte"),
    Closed => ("closed", "Fermée"),
});

coded_enum!(QuestionKind {
    Single => ("single", "Choix unique"),
    Multiple => ("multiple", "Choix multiple"),
    Scale => ("scale", "Échelle de 1 à 5"),
    YesNo => ("yes_no", "Oui / non"),
    Number => ("number", "Nombre"),
    ShortText => ("short_text", "Texte court"),
    LongText => ("long_text", "Texte long"),
    Commune => ("commune", "Commune"),
    Public => ("public", "Profil (public)"),
    AgeBracket => ("age", "Tranche d'âge"),
});

coded_enum!(PointKind {
    Online => ("en_ligne", "En ligne"),
    Event => ("evenement", "Événement"),
    Place => ("lieu", "Lieu"),
    Counter => ("guichet", "Guichet"),
    Kiosk => ("kiosque", "Kiosque"),
    Paper => ("papier", "Papier"),
});

coded_enum!(Channel {
    Web => ("web", "Web"),
    Kiosk => ("kiosque", "Kiosque"),
    Paper => ("papier", "Papier"),
});

/// Age brackets offered by "tranche d'âge" questions (code, label).
pub const AGE_BRACKETS: [(&str, &str); 7] = [
    ("moins-15", "Moins de 15 ans"),
    ("15-17", "15 à 17 ans"),
    ("18-25", "18 à 25 ans"),
    ("26-39", "26 à 39 ans"),
    ("40-59", "40 à 59 ans"),
    ("60-74", "60 à 74 ans"),
    ("75-plus", "75 ans et plus"),
];

/// The option of commune questions for residents of no commune of the territory. The
/// code keeps its first spelling so that answers already stored still match it.
pub const OUTSIDE_TERRITORY: (&str, &str) = ("hors-ccyn", "Hors du territoire");

impl QuestionKind {
    /// Kinds whose answer is one option.
    pub fn is_single_choice(self) -> bool {
        matches!(
            self,
            Self::Single
                | Self::Scale
                | Self::YesNo
                | Self::Commune
                | Self::Public
                | Self::AgeBracket
        )
    }

    /// Kinds whose answers are options (one or several).
    pub fn has_options(self) -> bool {
        self.is_single_choice() || self == Self::Multiple
    }

    /// Kinds whose options the staff write themselves.
    pub fn has_custom_options(self) -> bool {
        matches!(self, Self::Single | Self::Multiple)
    }

    pub fn is_text(self) -> bool {
        matches!(self, Self::ShortText | Self::LongText)
    }

    /// The longest text accepted, in characters.
    pub fn max_text_chars(self) -> usize {
        match self {
            Self::ShortText => 280,
            _ => 2000,
        }
    }

    /// Whether a later question may depend on this one's answer.
    pub fn can_control_conditions(self) -> bool {
        matches!(self, Self::Single | Self::YesNo)
    }
}

impl PointKind {
    /// How answers through this point reach the platform.
    pub fn channel(self) -> Channel {
        match self {
            Self::Kiosk => Channel::Kiosk,
            Self::Paper => Channel::Paper,
            _ => Channel::Web,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in QuestionKind::ALL {
            assert_eq!(QuestionKind::parse(kind.code()), Ok(*kind));
        }
        for kind in PointKind::ALL {
            assert_eq!(PointKind::parse(kind.code()), Ok(*kind));
        }
        assert!(SurveyStatus::parse("archived").is_err());
    }

    #[test]
    fn kiosk_and_paper_points_have_their_channel() {
        assert_eq!(PointKind::Kiosk.channel(), Channel::Kiosk);
        assert_eq!(PointKind::Paper.channel(), Channel::Paper);
        assert_eq!(PointKind::Event.channel(), Channel::Web);
    }
}
