//! Employment levers: labour transfer, public-welfare posts, skills training, start-up support.
